import { createHash } from 'node:crypto';
import {
  ENGINE_PORT_ANNOTATION,
  IDLE_TIER_ANNOTATION,
  WAKE_GATE_PORT_ANNOTATION,
} from '@modelfleet/plugin-modelfleet-node';
import { WAKE_GATE } from './constants';
import { wakeGateNginxConf } from './wakeGateConf';

// The ModelFleet backend reads these to reach the engine behind the gate,
// and the gate for the wakes it made.
export {
  ENGINE_PORT_ANNOTATION,
  IDLE_TIER_ANNOTATION,
  WAKE_GATE_PORT_ANNOTATION,
};
/** A digest of the gate's configuration on the pod, so a change rolls the pods. */
export const WAKE_GATE_CONFIG_ANNOTATION = 'modelfleet.io/wake-gate-config';

/** The wake gate of a model of the sleep idle tier: its ConfigMap, container and volumes. */
export interface WakeGate {
  configMap: Record<string, any>;
  container: Record<string, any>;
  volumes: Array<Record<string, any>>;
  /** What the Deployment and its pod template are annotated with. */
  annotations: Record<string, string>;
  /** What only the pod template is annotated with. */
  podAnnotations: Record<string, string>;
}

/**
 * The wake gate of the sleep idle tier, a sidecar of the model's pod:
 * vLLM in sleep mode does not wake when a request comes, so the gate
 * takes the `http` port the Service targets, wakes the engine (one `POST
 * /wake_up` for a burst of requests) and proxies to it on localhost. Its
 * nginx.conf comes from a ConfigMap, mounted read-only; its pid and
 * temporary files go to an emptyDir, so it runs as the model's other
 * containers do (the pod gives it their security context: non-root,
 * read-only root filesystem, no capability) on an unprivileged port.
 */
export function renderWakeGate(options: {
  name: string;
  meta: (name: string) => Record<string, unknown>;
}): WakeGate {
  const { name, meta } = options;
  const conf = wakeGateNginxConf();
  const configMapName = `${name}-wake-gate`;
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(configMapName),
    data: { 'nginx.conf': conf },
  };
  const probe = (periodSeconds: number) => ({
    httpGet: { path: WAKE_GATE.healthPath, port: 'http' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold: 3,
  });
  const container = {
    name: 'wake-gate',
    image: WAKE_GATE.image,
    imagePullPolicy: 'IfNotPresent',
    command: [WAKE_GATE.binary],
    args: [
      '-p',
      `${WAKE_GATE.runDir}/`,
      '-c',
      `${WAKE_GATE.configDir}/nginx.conf`,
      // Before the configuration is read, too.
      '-e',
      'stderr',
    ],
    ports: [{ name: 'http', containerPort: WAKE_GATE.port, protocol: 'TCP' }],
    resources: {
      requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '64Mi' },
      limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' },
    },
    readinessProbe: probe(10),
    livenessProbe: probe(30),
    lifecycle: {
      // Keep proxying while the endpoints drop the pod, as the server does.
      preStop: { sleep: { seconds: 10 } },
    },
    volumeMounts: [
      {
        name: 'wake-gate-config',
        mountPath: WAKE_GATE.configDir,
        readOnly: true,
      },
      { name: 'wake-gate-run', mountPath: WAKE_GATE.runDir },
    ],
  };
  const volumes = [
    {
      name: 'wake-gate-config',
      configMap: {
        name: configMapName,
        items: [{ key: 'nginx.conf', path: 'nginx.conf' }],
      },
    },
    { name: 'wake-gate-run', emptyDir: { sizeLimit: '1Gi' } },
  ];
  return {
    configMap,
    container,
    volumes,
    annotations: {
      [IDLE_TIER_ANNOTATION]: 'sleep',
      [ENGINE_PORT_ANNOTATION]: String(WAKE_GATE.enginePort),
      [WAKE_GATE_PORT_ANNOTATION]: String(WAKE_GATE.port),
    },
    podAnnotations: {
      [WAKE_GATE_CONFIG_ANNOTATION]: createHash('sha256')
        .update(conf)
        .digest('hex')
        .slice(0, 16),
    },
  };
}
