import {
  MODEL_INPUT_RANGES,
  MODEL_SOURCE_PATTERN,
} from '@modelfleet/plugin-modelfleet-common';
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';

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

  it('lets the owner be picked only among the catalog Groups', () => {
    expect(properties.owner['ui:options']).toEqual({
      allowArbitraryValues: false,
      catalogFilter: { kind: 'Group' },
    });
  });
});
