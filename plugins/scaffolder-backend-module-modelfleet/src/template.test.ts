import {
  MODEL_INPUT_RANGES,
  MODEL_SOURCE_PATTERN,
} from '@modelfleet/plugin-modelfleet-common';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import {
  IDLE_TIERS,
  renderManifestsInputFields,
  WAKE_MODES,
} from './manifests/input';
import { createRecommendPlacementAction } from './actions/recommendPlacement';
import { teamCatalog } from './__testUtils__/teams';

/** The Deploy a model template, as the catalog reads it. */
const template = yaml.parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../templates/deploy-model/template.yaml'),
    'utf8',
  ),
);
const properties: Record<string, any> = Object.assign(
  {},
  ...template.spec.parameters.map((p: any) => p.properties),
);

type StepVisibility = (
  values: Record<string, unknown>,
  steps: ReadonlyArray<{ schema: object; when?: unknown }>,
) => { visible: boolean[]; values: Record<string, unknown> };

/**
 * How the scaffolder decides which parameter steps show and which values
 * reach the task (`resolveParameterSteps` of
 * @backstage/plugin-scaffolder-common, which the wizard and the task API
 * both call), from the copy @backstage/plugin-scaffolder-node depends on.
 */
function scaffolderStepVisibility(): StepVisibility {
  const scaffolderNode = require.resolve('@backstage/plugin-scaffolder-node');
  const common = require.resolve('@backstage/plugin-scaffolder-common/alpha', {
    paths: [path.dirname(scaffolderNode)],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(common).resolveParameterSteps;
}

/**
 * The renderer the scaffolder's task runner renders a step's input with
 * (nunjitsu, from the copy @backstage/plugin-scaffolder-backend depends on),
 * as NunjucksWorkflowRunner calls it.
 */
function scaffolderTemplateRenderer(): {
  renderValue(
    template: string,
    context: object,
    options: { coercion: 'json' },
  ): unknown;
} {
  const backend = require.resolve('@backstage/plugin-scaffolder-backend');
  const nunjitsu = require.resolve('nunjitsu', {
    paths: [path.dirname(backend)],
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(nunjitsu).createTemplateRenderer();
}

describe('the Deploy a model template', () => {
  it('refuses a model source with credentials or of a bad form before a task exists', () => {
    const { pattern } = properties.source;
    // The scaffolder checks parameters with this pattern when the task is
    // created (and the form as the user types), before any step runs or
    // logs its input.
    expect(pattern).toBe(MODEL_SOURCE_PATTERN);
    const matches = (s: string) => new RegExp(pattern, 'u').test(s);
    for (const bad of [
      'https://user:token@models.example.com/m.tar.gz',
      'oci://robot:pw@registry.example.com/models/m:1',
      'https://models.example.com/m.tar.gz?sig=token',
      'hf://--trust-remote-code',
      'hf://../../../etc/passwd',
    ]) {
      expect([bad, matches(bad)]).toEqual([bad, false]);
    }
    for (const good of [
      'meta-llama/Llama-3.1-8B-Instruct',
      'oci://registry.example.com/models/m:1',
      's3://models-acme/m/',
    ]) {
      expect([good, matches(good)]).toEqual([good, true]);
    }
  });

  it('checks the source (render) before any step writes it into the README or the repository', () => {
    const steps: Array<{ id: string; action: string }> = template.spec.steps;
    const usesSource = steps.filter(s =>
      JSON.stringify(s).includes('parameters.source'),
    );
    expect(usesSource[0].action).toBe('modelfleet:manifests:render');
    expect(usesSource.map(s => s.id)).toEqual([
      'render',
      'skeleton',
      'publish-github',
    ]);
  });

  it('words every pattern, length and range error for people, never as the raw rule', () => {
    // The scaffolder's form shows `errorMessage` (ajv-errors) instead of
    // ajv's "must match pattern ^[a-z]…".
    for (const [key, p] of Object.entries(properties)) {
      for (const rule of ['pattern', 'maxLength', 'minimum', 'maximum']) {
        if (p[rule] === undefined) continue;
        const message = p.errorMessage?.[rule];
        expect([key, rule, typeof message]).toEqual([key, rule, 'string']);
        expect([key, rule, message]).not.toEqual([
          key,
          rule,
          expect.stringMatching(/[\^$\\[\]]|pattern/),
        ]);
      }
    }
    // The maximum replicas is checked against the minimum on its step.
    expect(properties.replicasMax['ui:field']).toBe('MaxReplicas');
    expect(properties.replicasMax['ui:options']).toEqual({
      minField: 'replicasMin',
    });
  });

  it('bounds every number with the ranges the actions enforce', () => {
    const range = (p: any) => [p.minimum, p.maximum];
    const R = MODEL_INPUT_RANGES;
    expect(range(properties.replicasMin)).toEqual([
      R.minReplicas.min,
      R.minReplicas.max,
    ]);
    expect(range(properties.replicasMax)).toEqual([
      R.maxReplicas.min,
      R.maxReplicas.max,
    ]);
    expect(range(properties.parametersBillions)).toEqual([
      R.parametersBillions.min,
      R.parametersBillions.max,
    ]);
    expect(range(properties.monthlyBudgetUsd)).toEqual([
      R.monthlyBudgetUsd.min,
      R.monthlyBudgetUsd.max,
    ]);
    const [gpuMin, gpuMax] = range(properties.gpusPerReplica);
    expect(gpuMin).toBeGreaterThanOrEqual(R.gpusPerReplica.min);
    expect(gpuMax).toBeLessThanOrEqual(R.gpusPerReplica.max);
  });

  it('offers the idle tiers the render step takes, zero by default', () => {
    const { idleTier } = properties;
    expect(idleTier.enum).toEqual([...IDLE_TIERS]);
    expect(idleTier.enumNames).toHaveLength(IDLE_TIERS.length);
    expect(idleTier.default).toBe(
      renderManifestsInputFields.idleTier.parse(undefined),
    );
  });

  it('asks how a model wakes only for traffic that idles, with the modes and default the render step takes', () => {
    const serving = template.spec.parameters.find(
      (p: any) => p.properties.traffic,
    );
    // Its own field asks it only while the traffic idles, and clears an
    // answer given before when the traffic goes back to always on.
    const { wakeOn } = serving.properties;
    expect(wakeOn['ui:field']).toBe('WakeOn');
    expect(wakeOn['ui:options']).toEqual({
      trafficField: 'traffic',
      idleTraffic: ['business-hours', 'sporadic'],
    });
    expect(wakeOn.enum).toEqual([...WAKE_MODES]);
    expect(wakeOn.enumNames).toHaveLength(WAKE_MODES.length);
    // The default comes only with traffic that idles: the render step's.
    expect(wakeOn.default).toBeUndefined();
    const branches: any[] = serving.dependencies.traffic.oneOf;
    const idle = branches.filter(b => b.properties.wakeOn?.default);
    expect(idle).toHaveLength(1);
    expect(idle[0].properties.traffic.enum).toEqual(
      wakeOn['ui:options'].idleTraffic,
    );
    expect(idle[0].properties.wakeOn.default).toBe(
      renderManifestsInputFields.wakeOn.parse(undefined),
    );
    // For always-on traffic the Review step leaves the cleared row out.
    const alwaysOn = branches.filter(b => b !== idle[0]);
    expect(alwaysOn.map(b => b.properties.traffic)).toEqual([
      { const: 'always-on' },
    ]);
    expect(alwaysOn[0].properties.wakeOn).toEqual({
      'ui:backstage': { review: { show: false } },
    });
  });

  it('passes the wake method to the render step only for traffic that idles, never a stale answer', () => {
    const renderer = scaffolderTemplateRenderer();
    const steps: Array<{ id: string; input: any }> = template.spec.steps;
    const { wakeOn } = steps.find(s => s.id === 'render')!.input;
    const wakeOnFor = (parameters: Record<string, unknown>) =>
      renderer.renderValue(wakeOn, { parameters }, { coercion: 'json' });
    for (const traffic of properties.traffic.enum) {
      for (const answer of [...WAKE_MODES, undefined]) {
        // An answer given while the traffic idled stays in the form's
        // values when the traffic goes back to always on.
        const passed = wakeOnFor({ traffic, wakeOn: answer });
        const expected = traffic === 'always-on' ? undefined : answer;
        expect([traffic, answer, passed]).toEqual([traffic, answer, expected]);
        // What the render step makes of it: its default when left out.
        expect(renderManifestsInputFields.wakeOn.parse(passed)).toBe(
          expected ?? 'http-addon',
        );
      }
    }
  });

  it('asks what an idle model does only for vLLM with traffic that idles on a time-sliced pool, and drops the answer otherwise', () => {
    const resolve = scaffolderStepVisibility();
    const steps = template.spec.parameters.map((p: any) => ({
      schema: p,
      when: p.when,
    }));
    const idleStep = template.spec.parameters.findIndex(
      (p: any) => p.properties.idleTier,
    );
    expect(idleStep).toBeGreaterThan(-1);
    // The GPU pool picker's value says how the picked pool shares its GPUs.
    const sharings = ['time-slicing', 'whole', 'mig', undefined];
    for (const runtime of properties.runtime.enum) {
      for (const traffic of properties.traffic.enum) {
        for (const sharing of sharings) {
          const placement = { pool: 'gpupool:default/p', sharing };
          const { visible, values } = resolve(
            { runtime, traffic, placement, idleTier: 'sleep' },
            steps,
          );
          const shown =
            runtime === 'vllm' &&
            traffic !== 'always-on' &&
            sharing === 'time-slicing';
          const at = [runtime, traffic, sharing];
          expect([...at, visible[idleStep]]).toEqual([...at, shown]);
          // A hidden step's answer never reaches the render step.
          expect([...at, values.idleTier]).toEqual([
            ...at,
            shown ? 'sleep' : undefined,
          ]);
          // The other steps always show.
          expect(visible.filter((v, i) => i !== idleStep && !v)).toEqual([]);
        }
      }
    }
  });

  it("passes the tier and the pool's GPU sharing, an output of the placement step, to the render step", () => {
    const steps: Array<{ id: string; action: string; input: any }> =
      template.spec.steps;
    const render = steps.find(s => s.id === 'render')!;
    expect(render.input.idleTier).toBe('${{ parameters.idleTier }}');
    expect(render.input.pool.sharing).toBe(
      '${{ steps.placement.output.gpuSharing }}',
    );
    expect(steps.find(s => s.id === 'placement')!.action).toBe(
      'modelfleet:placement:recommend',
    );
    const placement = createRecommendPlacementAction({
      client: { place: async () => Promise.reject(new Error('unused')) },
      catalog: teamCatalog(),
    });
    const output = placement.schema?.output as any;
    expect(output.properties.gpuSharing.enum).toEqual(
      renderManifestsInputFields.pool.shape.sharing.unwrap().options,
    );
  });

  it('lets the owner be picked only among the catalog Groups', () => {
    expect(properties.owner['ui:options']).toEqual({
      allowArbitraryValues: false,
      catalogFilter: { kind: 'Group' },
    });
  });
});
