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

const combos = runtimes.flatMap(runtime =>
  modes.flatMap(([traffic, wakeOn]) =>
    capacities.flatMap(capacityType =>
      resources.flatMap(gpuResource =>
        mins.map(min => ({
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
);
type Combo = (typeof combos)[number];

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
    spot: c.capacityType === 'spot' ? 'require' : 'forbid',
    pool: {
      ...base.pool,
      capacityType: c.capacityType,
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

describe('renderModelManifests, every combination the template can produce', () => {
  it('covers them all', () => {
    expect(combos).toHaveLength(216);
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
      `${c.runtime} ${c.traffic} ${c.wakeOn ?? ''} ${c.capacityType} ${
        c.gpuResource
      } min=${c.min}`,
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
    }[combo.wakeOn ?? 'always-on'];
    expect(floors(manifests)).toEqual(expected);
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
