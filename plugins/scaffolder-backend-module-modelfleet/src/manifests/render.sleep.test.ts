import { modelEntityV1alpha1Validator } from '@modelfleet/plugin-modelfleet-common';
import { WAKE_GATE } from './constants';
import { RenderManifestsInput } from './input';
import { renderModelManifests } from './render';
import { baseInput } from './testInput';
import { formatManifestIssues, validateManifests } from './validate';

// Loading the Kubernetes schemas is slow on a loaded CI machine.
jest.setTimeout(60_000);

const byKind = (manifests: Array<Record<string, any>>, kind: string) =>
  manifests.find(m => m.kind === kind);

/** A sporadic vLLM model of the sleep tier on a time-sliced pool. */
function sleepInput(
  overrides: Partial<RenderManifestsInput> = {},
  sharing: 'whole' | 'mig' | 'time-slicing' | null = 'time-slicing',
): RenderManifestsInput {
  const base = baseInput();
  return {
    ...base,
    traffic: 'sporadic',
    idleTier: 'sleep',
    replicas: { min: 0, max: 3 },
    hibernation: { idleMinutes: 7 },
    pool: { ...base.pool, ...(sharing ? { sharing } : {}) },
    ...overrides,
  };
}

describe('renderModelManifests, the sleep idle tier', () => {
  const { manifests, entity } = renderModelManifests(sleepInput());
  const deployment = byKind(manifests, 'Deployment')!;
  const pod = deployment.spec.template;
  const [server, gate] = pod.spec.containers;

  it('renders valid objects, the gate ConfigMap before the Deployment', async () => {
    expect(manifests.map(m => m.kind)).toEqual([
      'ServiceAccount',
      'PersistentVolumeClaim',
      'ConfigMap',
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]);
    expect(byKind(manifests, 'ConfigMap')!.metadata.name).toBe(
      'llama-3-1-8b-chat-wake-gate',
    );
    expect(formatManifestIssues(await validateManifests(manifests))).toBe('');
    await expect(modelEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
  });

  it('runs vLLM in sleep mode on its port, named engine, probed there', () => {
    expect(server.args).toEqual(
      expect.arrayContaining(['--enable-sleep-mode']),
    );
    expect(server.args.slice(server.args.indexOf('--port'))[1]).toBe('8000');
    expect(server.env).toContainEqual({
      name: 'VLLM_SERVER_DEV_MODE',
      value: '1',
    });
    expect(server.ports).toEqual([
      { name: 'engine', containerPort: 8000, protocol: 'TCP' },
    ]);
    // 8B × 2 bytes = 14.9 GiB of weights go to host memory when asleep:
    // 20 GiB as the zero tier has, plus 15.
    expect(server.resources.requests.memory).toBe('35Gi');
    expect(server.resources.limits.memory).toBe('35Gi');
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(server[probe].httpGet).toEqual({
        path: '/health',
        port: 'engine',
      });
    }
  });

  it('puts the wake gate on the http port the Service targets, secured as the server', () => {
    expect(gate).toMatchObject({
      name: 'wake-gate',
      image: WAKE_GATE.image,
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: WAKE_GATE.healthPath, port: 'http' } },
    });
    expect(gate.securityContext).toEqual(server.securityContext);
    expect(gate.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(gate.volumeMounts).toEqual([
      { name: 'wake-gate-config', mountPath: '/etc/wake-gate', readOnly: true },
      { name: 'wake-gate-run', mountPath: WAKE_GATE.runDir },
    ]);
    expect(pod.spec.volumes).toEqual(
      expect.arrayContaining([
        {
          name: 'wake-gate-config',
          configMap: {
            name: 'llama-3-1-8b-chat-wake-gate',
            items: [{ key: 'nginx.conf', path: 'nginx.conf' }],
          },
        },
        { name: 'wake-gate-run', emptyDir: { sizeLimit: '1Gi' } },
      ]),
    );
    // The gate's arguments point at the mounted config and the emptyDir.
    expect(gate.args).toEqual([
      '-p',
      `${WAKE_GATE.runDir}/`,
      '-c',
      '/etc/wake-gate/nginx.conf',
      '-e',
      'stderr',
    ]);
    const service = byKind(manifests, 'Service')!;
    expect(service.spec.ports).toEqual([
      expect.objectContaining({ port: 8000, targetPort: 'http' }),
    ]);
  });

  it('tells the backend the tier and the engine port, on the Deployment and its pods', () => {
    for (const annotations of [
      deployment.metadata.annotations,
      pod.metadata.annotations,
    ]) {
      expect(annotations).toMatchObject({
        'modelfleet.io/idle-tier': 'sleep',
        'modelfleet.io/engine-port': '8000',
        'modelfleet.io/wake-gate-port': '8080',
      });
    }
    // Metrics are scraped from vLLM itself, not through the gate.
    expect(pod.metadata.annotations['prometheus.io/port']).toBe('8000');
    // A change of the gate's configuration rolls the pods.
    expect(pod.metadata.annotations['modelfleet.io/wake-gate-config']).toMatch(
      /^[0-9a-f]{16}$/,
    );
    expect(entity.metadata.annotations).toMatchObject({
      'modelfleet.io/idle-tier': 'sleep',
    });
  });

  it('keeps at least one replica: an HPA, never a scale-to-zero autoscaler', () => {
    expect(byKind(manifests, 'HorizontalPodAutoscaler')!.spec).toMatchObject({
      minReplicas: 1,
      maxReplicas: 3,
    });
    expect(byKind(manifests, 'ScaledObject')).toBeUndefined();
    expect(byKind(manifests, 'HTTPScaledObject')).toBeUndefined();
    expect(deployment.metadata.annotations['modelfleet.io/wake-on']).toBe(
      undefined,
    );
    // The backend puts the engine to sleep after the idle minutes; the
    // HPA (min 1) keeps the replica, so nothing takes it to zero.
    expect(entity.spec.policy?.hibernation).toEqual({
      mode: 'enforce',
      idleMinutes: 7,
      minWarmReplicas: 0,
    });
  });

  it('lets clients reach the gate and monitoring the engine, nothing else', () => {
    const policy = byKind(manifests, 'NetworkPolicy')!;
    expect(policy.spec.ingress.map((r: any) => r.ports)).toEqual([
      [{ protocol: 'TCP', port: 'http' }],
      [{ protocol: 'TCP', port: 'engine' }],
    ]);
    expect(policy.spec.ingress[1].from).toEqual([
      {
        namespaceSelector: {
          matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
        },
      },
    ]);
  });

  it.each(['http-addon', 'knative', 'keda-poll'] as const)(
    'ignores wakeOn %s: nothing is at zero to wake',
    wakeOn => {
      const out = renderModelManifests(sleepInput({ wakeOn })).manifests;
      expect(out.map(m => `${m.apiVersion} ${m.kind}`)).toEqual(
        manifests.map(m => `${m.apiVersion} ${m.kind}`),
      );
    },
  );

  it('keeps business-hours models warm around the clock, asleep when idle', () => {
    const out = renderModelManifests(sleepInput({ traffic: 'business-hours' }));
    expect(out.manifests.map(m => m.kind)).toContain('HorizontalPodAutoscaler');
    expect(byKind(out.manifests, 'ScaledObject')).toBeUndefined();
    expect(out.entity.spec.policy?.hibernation?.minWarmReplicas).toBe(0);
  });

  it('renders the zero tier (the default) without a gate', () => {
    const base = sleepInput();
    delete base.idleTier;
    const out = renderModelManifests(base).manifests;
    const d = byKind(out, 'Deployment')!;
    expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual([
      'server',
    ]);
    expect(d.spec.template.spec.containers[0].args).not.toContain(
      '--enable-sleep-mode',
    );
    expect(d.spec.template.spec.containers[0].resources.limits.memory).toBe(
      '20Gi',
    );
    expect(d.metadata.annotations['modelfleet.io/idle-tier']).toBeUndefined();
    expect(byKind(out, 'HTTPScaledObject')!.spec.replicas.min).toBe(0);
  });
});

describe('renderModelManifests refuses a sleep tier that cannot work', () => {
  const model = baseInput().model;
  it.each([
    [
      'a runtime without sleep mode',
      sleepInput({ model: { ...model, runtime: 'tgi' } }),
      /^idleTier: sleep needs model\.runtime vllm .*tgi has none/,
    ],
    [
      'Triton',
      sleepInput({ model: { ...model, runtime: 'triton' } }),
      /^idleTier: sleep needs model\.runtime vllm/,
    ],
    [
      'whole GPUs',
      sleepInput({}, 'whole'),
      /^pool\.sharing: .*time-slicing.*as 'whole'.*serves no one.*use idleTier zero/,
    ],
    [
      'MIG slices',
      sleepInput({}, 'mig'),
      /^pool\.sharing: .*time-slicing.*as 'mig'/,
    ],
    [
      'a pool whose sharing is not known',
      sleepInput({}, null),
      /^pool\.sharing: .*gpupool:default\/gpu-aws-use1\.g6-l4 does not say how it shares its GPUs/,
    ],
    [
      'always-on traffic',
      sleepInput({ traffic: 'always-on' }),
      /^idleTier: .*always-on model never idles/,
    ],
    [
      'an unknown tier',
      sleepInput({ idleTier: 'nap' as any }),
      /idleTier: must be one of zero, sleep/,
    ],
    [
      'an unknown sharing mode',
      sleepInput({}, 'shared' as any),
      /pool\.sharing: must be one of whole, mig, time-slicing/,
    ],
  ])('%s', (_what, input, message) => {
    let error: Error | undefined;
    try {
      renderModelManifests(input);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InputError');
    expect(error?.message).toMatch(message);
  });
});
