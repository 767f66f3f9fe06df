import { mockServices } from '@backstage/backend-test-utils';
import { AutoscalerRef, WorkloadRef } from '@modelfleet/plugin-modelfleet-node';
import { KubernetesClusterActuator } from '../actuator/KubernetesClusterActuator';
import { Obj } from './FakeKubeObjectServer';

/** Objects and refs of the actuator's tests: a model `chat` in namespace `ml`. */

export const CLUSTER = 'demo-aws-use1';
export const PAUSED = 'autoscaling.keda.sh/paused-replicas';

export function actuatorFor(url: string, requestTimeoutMs?: number) {
  const logger = mockServices.logger.mock();
  const actuator = new KubernetesClusterActuator({
    clusters: [
      {
        name: CLUSTER,
        url,
        auth: { type: 'serviceAccount', token: 'actuator-token' },
        skipTLSVerify: false,
      },
      { name: 'other', url, auth: { type: 'none' }, skipTLSVerify: false },
    ],
    logger,
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
  });
  return { actuator, logger };
}

export const workload = (
  kind: WorkloadRef['kind'] = 'Deployment',
  name = 'chat',
): WorkloadRef => ({ cluster: CLUSTER, namespace: 'ml', kind, name });

export const autoscaler = (kind: AutoscalerRef['kind']): AutoscalerRef => ({
  cluster: CLUSTER,
  namespace: 'ml',
  kind,
  name: 'chat',
});

export function deployment(replicas = 1, kind = 'Deployment'): Obj {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'chat', namespace: 'ml', labels: { app: 'chat' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'chat' } },
      template: {
        metadata: { labels: { app: 'chat' } },
        spec: {
          containers: [
            {
              name: 'vllm',
              image: 'vllm/vllm-openai:v0.6.0',
              resources: { limits: { 'nvidia.com/gpu': '1' } },
            },
          ],
        },
      },
    },
  };
}

export const scaledObject = (spec: Record<string, unknown> = {}): Obj => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { scaleTargetRef: { name: 'chat' }, minReplicaCount: 0, ...spec },
});

export const httpScaledObject = (spec: Record<string, unknown> = {}): Obj => ({
  apiVersion: 'http.keda.sh/v1alpha1',
  kind: 'HTTPScaledObject',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: {
    hosts: ['chat.example.com'],
    scaleTargetRef: { name: 'chat', service: 'chat', port: 8000 },
    replicas: { min: 0, max: 4 },
    ...spec,
  },
});

export const service: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'chat', namespace: 'ml' },
  spec: { selector: { app: 'chat' }, ports: [{ port: 8000 }] },
};
