import {
  DEFAULT_DENIED_NAMESPACES,
  KubeObject,
  MODEL_DEPLOYMENT_KINDS,
} from '@modelfleet/plugin-modelfleet-common';
import { formatRefusals, guardDeployment } from './guard';
import { modelDeployment } from '../../deploy/__testUtils__/objects';
import { MAX_MANIFEST_DEPTH, tooDeepAt } from './shape';

const refusalsOf = (objects: KubeObject[]) =>
  formatRefusals(
    guardDeployment({
      namespace: 'models',
      model: 'chat',
      objects,
      allowedKinds: MODEL_DEPLOYMENT_KINDS,
      deniedNamespaces: DEFAULT_DENIED_NAMESPACES,
    }),
  );

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

describe('manifest labels and annotations', () => {
  it('names each label or annotation whose value is not a string', () => {
    // A copy: the fixture's objects share their labels.
    const objects = JSON.parse(JSON.stringify(modelDeployment('models')));
    const i = objects.findIndex((o: any) => o.kind === 'Deployment');
    objects[i].metadata.labels['app.kubernetes.io/name'] = null;
    objects[i].metadata.labels.fuzzExtra = 1;
    objects[i].metadata.annotations = { note: { deep: 'x' } };
    objects[i].spec.template.metadata.labels.tier = false;
    expect(refusalsOf(objects)).toBe(
      [
        `manifests[${i}].metadata.labels.app.kubernetes.io/name (Deployment/chat): must be a string`,
        `manifests[${i}].metadata.labels.fuzzExtra (Deployment/chat): must be a string`,
        `manifests[${i}].metadata.annotations.note (Deployment/chat): must be a string`,
        `manifests[${i}].spec.template.metadata.labels.tier (Deployment/chat): must be a string`,
      ].join('; '),
    );
  });

  it('names a labels or annotations map that is no map', () => {
    const objects = modelDeployment('models') as any[];
    objects[0].metadata.labels = ['a'];
    objects[1].metadata.annotations = 'a=b';
    expect(refusalsOf(objects)).toBe(
      `manifests[0].metadata.labels (${objects[0].kind}/chat): must be a map of strings to strings; ` +
        `manifests[1].metadata.annotations (${objects[1].kind}/chat): must be a map of strings to strings`,
    );
  });
});

describe('workload selectors', () => {
  it('names a selector label that is no string, or that the pod template does not carry', () => {
    const objects = JSON.parse(JSON.stringify(modelDeployment('models')));
    const i = objects.findIndex((o: any) => o.kind === 'Deployment');
    objects[i].spec.selector.matchLabels.fuzzExtra = 1;
    objects[i].spec.selector.matchLabels.tier = 'gpu';
    expect(refusalsOf(objects)).toBe(
      `manifests[${i}].spec.selector.matchLabels.fuzzExtra (Deployment/chat): must be a string; ` +
        `manifests[${i}].spec.selector.matchLabels.tier (Deployment/chat): selects tier=gpu, which the pod template's spec.template.metadata.labels.tier does not carry`,
    );
  });

  it('names the template label a selector no longer matches', () => {
    const objects = JSON.parse(JSON.stringify(modelDeployment('models')));
    const i = objects.findIndex((o: any) => o.kind === 'Deployment');
    const [key] = Object.keys(objects[i].spec.selector.matchLabels);
    objects[i].spec.template.metadata.labels[key] = 'other';
    expect(refusalsOf(objects)).toContain(
      `the pod template's spec.template.metadata.labels.${key} does not carry`,
    );
  });
});

describe('manifest depth', () => {
  it('accepts what modelfleet:manifests:render produces, well under the limit', () => {
    for (const o of modelDeployment('models')) {
      expect(tooDeepAt(o, 16)).toBeUndefined();
    }
  });

  it('refuses a manifest nested deeper than the limit, naming where, without exhausting the stack', () => {
    const objects = modelDeployment('models') as any[];
    const i = objects.findIndex((o: any) => o.kind === 'Deployment');
    objects[i].spec.template.spec.containers[0].args = nested(100_000);
    const message = refusalsOf(objects);
    // args is 6 levels below the object; the path goes on to the first
    // list more than 64 levels below it.
    const where = `manifests[${i}].spec.template.spec.containers[0].args${'[0]'.repeat(
      MAX_MANIFEST_DEPTH - 5,
    )}`;
    expect(message).toBe(
      `${where} (Deployment/chat): nested more than ${MAX_MANIFEST_DEPTH} levels deep`,
    );
  });

  it('accepts nesting up to the limit', () => {
    expect(tooDeepAt({ a: nested(MAX_MANIFEST_DEPTH) })).toBeUndefined();
    expect(tooDeepAt({ a: nested(MAX_MANIFEST_DEPTH + 1) })).toBe(
      `a${'[0]'.repeat(MAX_MANIFEST_DEPTH)}`,
    );
  });
});
