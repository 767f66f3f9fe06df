import {
  MODEL_DEPLOYMENT_KINDS,
  MODEL_WORKLOAD_LABEL,
  modelEntityV1alpha1Validator,
} from '@modelfleet/plugin-modelfleet-common';
import yaml from 'yaml';
import { fileNameOf, renderModelManifests } from './render';
import { formatManifestIssues, validateManifests } from './validate';
import { baseInput } from './testInput';
import { RenderManifestsInput } from './input';

// Loading the Kubernetes schemas is slow on a loaded CI machine.
jest.setTimeout(60_000);

const runtimes = ['vllm', 'tgi', 'triton'] as const;
/** Traffic and how a model at zero wakes, as the template offers them. */
const modes = [
  ['always-on', undefined],
  ['business-hours', 'http-addon'],
  ['business-hours', 'keda-poll'],
  ['sporadic', 'http-addon'],
  ['sporadic', 'knative'],
  ['sporadic', 'keda-poll'],
] as const;
const capacities = ['spot', 'on-demand'] as const;
const resources = ['nvidia.com/gpu', 'nvidia.com/mig-3g.40gb'] as const;
const mins = [0, 1, 3];

/**
 * What an idle model does: `zero` for every runtime and traffic; `sleep`
 * (vLLM asleep behind the wake gate, on a time-sliced pool) for vLLM and
 * traffic that idles, whatever `wakeOn` the form still carries.
 */
const tiers = ['zero', 'sleep'] as const;

const combos = tiers.flatMap(idleTier =>
  runtimes
    .filter(runtime => idleTier === 'zero' || runtime === 'vllm')
    .flatMap(runtime =>
      modes
        .filter(([traffic]) => idleTier === 'zero' || traffic !== 'always-on')
        .flatMap(([traffic, wakeOn]) =>
          capacities.flatMap(capacityType =>
            resources.flatMap(gpuResource =>
              mins.map(min => ({
                idleTier,
                runtime,
                traffic,
                wakeOn,
                capacityType,
                gpuResource,
                min,
              })),
            ),
          ),
        ),
    ),
);
type Combo = (typeof combos)[number];

/** The sleep tier needs time-slicing (of whole GPUs or of MIG slices). */
function sharingOf(c: Combo) {
  if (c.idleTier === 'sleep') return 'time-slicing';
  return c.gpuResource === 'nvidia.com/gpu' ? 'whole' : 'mig';
}

function comboInput(c: Combo): RenderManifestsInput {
  const base = baseInput();
  const mig = c.gpuResource !== 'nvidia.com/gpu';
  return {
    ...base,
    model: { ...base.model, runtime: c.runtime },
    gpu: { product: mig ? 'A100-80GB' : 'L4', count: 1, memoryGiB: 19 },
    replicas: { min: c.min, max: Math.max(c.min, 1) + 2 },
    traffic: c.traffic,
    ...(c.wakeOn ? { wakeOn: c.wakeOn } : {}),
    idleTier: c.idleTier,
    spot: c.capacityType === 'spot' ? 'require' : 'forbid',
    pool: {
      ...base.pool,
      capacityType: c.capacityType,
      sharing: sharingOf(c),
      scheduling: {
        nodeSelector:
          c.capacityType === 'spot'
            ? { 'karpenter.sh/capacity-type': 'spot' }
            : { 'karpenter.sh/capacity-type': 'on-demand' },
        tolerations:
          c.capacityType === 'spot'
            ? [
                {
                  key: 'cloud.google.com/gke-spot',
                  operator: 'Equal',
                  value: 'true',
                  effect: 'NoSchedule',
                },
              ]
            : [],
        gpuResource: c.gpuResource,
      },
    },
  };
}

const byKind = (manifests: Array<Record<string, any>>, kind: string) =>
  manifests.find(m => m.kind === kind);

/** The replica floor each autoscaler of the model sets, by kind. */
function floors(manifests: Array<Record<string, any>>) {
  const knative = manifests.find(m =>
    m.apiVersion.startsWith('serving.knative.dev/'),
  );
  return {
    hpa: byKind(manifests, 'HorizontalPodAutoscaler')?.spec.minReplicas,
    scaledObject: byKind(manifests, 'ScaledObject')?.spec.minReplicaCount,
    httpScaledObject: byKind(manifests, 'HTTPScaledObject')?.spec.replicas.min,
    knative:
      knative?.spec.template.metadata.annotations[
        'autoscaling.knative.dev/min-scale'
      ],
  };
}

/**
 * Every port the Service, the probes, the metrics annotation and the
 * NetworkPolicy name is one a container of the pod serves; in the sleep
 * tier the Service reaches the wake gate and the metrics reach vLLM.
 */
function expectPortsWired(manifests: Array<Record<string, any>>, c: Combo) {
  const deployment = byKind(manifests, 'Deployment');
  if (!deployment) return; // Knative renders its own.
  const pod = deployment.spec.template;
  const ports = pod.spec.containers.flatMap((k: any) =>
    k.ports.map((p: any) => ({ container: k.name, ...p })),
  );
  const port = (name: string) => ports.find((p: any) => p.name === name);
  const service = manifests.find(m => m.kind === 'Service')!;
  for (const p of service.spec.ports) expect(port(p.targetPort)).toBeDefined();
  const scraped = Number(pod.metadata.annotations['prometheus.io/port']);
  expect(ports.map((p: any) => p.containerPort)).toContain(scraped);
  const policy = byKind(manifests, 'NetworkPolicy')!;
  for (const rule of policy.spec.ingress) {
    for (const p of rule.ports) expect(port(p.port)).toBeDefined();
  }
  const names = pod.spec.containers.map((k: any) => k.name);
  if (c.idleTier === 'sleep') {
    expect(names).toEqual(['server', 'wake-gate']);
    expect(port('http').container).toBe('wake-gate');
    expect(port('engine')).toMatchObject({
      container: 'server',
      containerPort: scraped,
    });
    expect(deployment.metadata.annotations).toMatchObject({
      'modelfleet.io/idle-tier': 'sleep',
      'modelfleet.io/engine-port': String(scraped),
      'modelfleet.io/wake-gate-port': String(port('http').containerPort),
    });
    expect(deployment.metadata.annotations['modelfleet.io/wake-on']).toBe(
      undefined,
    );
  } else {
    expect(names).toEqual(['server']);
    expect(port('http').container).toBe('server');
    expect(
      deployment.metadata.annotations['modelfleet.io/idle-tier'],
    ).toBeUndefined();
  }
}

describe('renderModelManifests, every combination the template can produce', () => {
  it('covers them all', () => {
    // 3 runtimes × 6 traffic modes × 2 capacities × 2 GPU resources × 3
    // minimums scale to zero; vLLM × 5 idling modes × 2 × 2 × 3 sleep.
    expect(combos).toHaveLength(216 + 60);
  });

  it('renders exactly the kinds the ModelFleet backend deploys, all in the model namespace and named after the model', () => {
    // MODEL_DEPLOYMENT_KINDS is the deploy guard's allowed set: a kind
    // rendered here but missing there would be refused at deploy time, and
    // a kind listed there but never rendered widens the guard for nothing.
    const rendered = new Set<string>();
    for (const c of combos) {
      const input = comboInput(c);
      for (const m of renderModelManifests(input).manifests) {
        rendered.add(`${m.apiVersion} ${m.kind}`);
        expect(m.metadata.namespace).toBe(input.namespace);
        // Named and labelled after the model, as the deploy guard wants.
        expect(m.metadata.name).toMatch(new RegExp(`^${input.name}(-|$)`));
        expect(m.metadata.labels[MODEL_WORKLOAD_LABEL]).toBe(input.name);
      }
    }
    expect([...rendered].sort()).toEqual(
      MODEL_DEPLOYMENT_KINDS.map(k => `${k.apiVersion} ${k.kind}`).sort(),
    );
  });

  it.each(
    combos.map(c => [
      `${c.idleTier} ${c.runtime} ${c.traffic} ${c.wakeOn ?? ''} ${
        c.capacityType
      } ${c.gpuResource} min=${c.min}`,
      c,
    ]),
  )('%s passes Kubernetes validation', async (_label, c) => {
    const combo = c as Combo;
    const input = comboInput(combo);
    const { manifests, entity, files } = renderModelManifests(input);
    const issues = await validateManifests(manifests);
    expect(formatManifestIssues(issues)).toBe('');
    await expect(modelEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );

    const workload = manifests.find(
      m => ['Deployment', 'Service'].includes(m.kind) && m.spec.template,
    )!;
    const container = workload.spec.template.spec.containers[0];
    expect(container.resources.limits[input.pool.scheduling.gpuResource]).toBe(
      '1',
    );
    const floor = {
      hpa: undefined,
      scaledObject: undefined,
      httpScaledObject: undefined,
      knative: undefined,
    };
    const expected = {
      'always-on': { ...floor, hpa: Math.max(1, input.replicas.min) },
      'keda-poll': { ...floor, scaledObject: 0 },
      knative: { ...floor, knative: '0' },
      'http-addon':
        combo.traffic === 'business-hours'
          ? { ...floor, httpScaledObject: 0, scaledObject: 0 }
          : { ...floor, httpScaledObject: 0 },
    }[
      // The sleep tier is never at zero: its engine sleeps, its replicas stay.
      combo.idleTier === 'sleep' ? 'always-on' : combo.wakeOn ?? 'always-on'
    ];
    expect(floors(manifests)).toEqual(expected);
    expectPortsWired(manifests, combo);
    const pdb = byKind(manifests, 'PodDisruptionBudget')!;
    expect(pdb.spec).toMatchObject(
      input.replicas.min >= 2
        ? { minAvailable: input.replicas.min - 1 }
        : { maxUnavailable: 1 },
    );
    // Every file parses back to what was rendered, one file per object.
    expect(new Set(files.map(f => f.path)).size).toBe(files.length);
    for (const m of manifests) {
      const file = files.find(f => f.path === `manifests/${fileNameOf(m)}`)!;
      expect(yaml.parse(file.content)).toEqual(m);
    }
  });
});
