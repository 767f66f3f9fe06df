import { containsWord, namesAny, namesPath, renderings } from './names';

describe('containsWord', () => {
  it('finds a whole word, case-insensitively', () => {
    expect(containsWord('name: must be a DNS label', 'name')).toBe(true);
    expect(containsWord('NAME: required', 'name')).toBe(true);
    expect(containsWord("'name' is bad", 'name')).toBe(true);
  });

  it('does not find a word inside a longer name', () => {
    expect(containsWord('namespace: must be a label', 'name')).toBe(false);
    expect(containsWord('rename it', 'name')).toBe(false);
    expect(containsWord('from_date: bad', 'from')).toBe(false);
  });

  it('finds a later whole occurrence after a partial one', () => {
    expect(containsWord('namespace is fine, name is not', 'name')).toBe(true);
  });

  it('treats punctuation at the ends of the needle as its own boundary', () => {
    expect(containsWord('/spec/gpu/count must be > 0', '/spec/gpu')).toBe(true);
    expect(containsWord('x: Idempotency-Key: bad', 'Idempotency-Key')).toBe(
      true,
    );
    expect(containsWord('anything', '')).toBe(false);
  });
});

describe('renderings', () => {
  it('writes a path as brackets, dots and a JSON pointer', () => {
    expect(renderings(['manifests', 0, 'kind'])).toEqual([
      'manifests[0].kind',
      'manifests.0.kind',
      '/manifests/0/kind',
    ]);
    expect(renderings(['from'])).toEqual(['from', '/from']);
    expect(renderings(['labels', 'app.kubernetes.io/name'])).toContain(
      '/labels/app.kubernetes.io~1name',
    );
    expect(renderings([])).toEqual([]);
  });
});

describe('namesPath', () => {
  it('counts the messages of the routes, the scaffolder and the validators as named', () => {
    expect(namesPath('from: must be a date as YYYY-MM-DD', ['from'])).toBe(
      true,
    );
    expect(
      namesPath('replicas.min: Expected number, received string', [
        'replicas',
        'min',
      ]),
    ).toBe(true);
    expect(
      namesPath('manifests[2].metadata.name: missing', [
        'manifests',
        2,
        'metadata',
        'name',
      ]),
    ).toBe(true);
    expect(
      namesPath(
        'Invalid input passed to action x, instance.gpu.count is not of a type(s) number',
        ['gpu', 'count'],
      ),
    ).toBe(true);
    expect(
      namesPath('/spec/gpu/count must be > 0 - comparison: >, limit: 0', [
        'spec',
        'gpu',
        'count',
      ]),
    ).toBe(true);
    expect(
      namesPath(
        'Invalid ModelFleet policy in app-config:\n  modelfleet.policies.teams.search-team.spot: Invalid enum value',
        ['teams', 'search-team', 'spot'],
      ),
    ).toBe(true);
  });

  it('counts the parent and the key as separate words as named', () => {
    expect(
      namesPath('replicas: unknown field(s) foo', ['replicas', 'foo']),
    ).toBe(true);
    expect(
      namesPath(
        '/spec must NOT have additional properties - additionalProperty: extra',
        ['spec', 'extra'],
      ),
    ).toBe(true);
    expect(
      namesPath('replicas.max: must be at least replicas.min (5)', [
        'replicas',
        'min',
      ]),
    ).toBe(true);
  });

  it('counts the list and the path within an item as named', () => {
    const ns = ['manifests', 0, 'metadata', 'namespace'];
    expect(
      namesPath(
        'manifests: the Kubernetes schemas reject 1 field(s): Deployment/chat /metadata/namespace: must be a DNS-1123 label',
        ns,
      ),
    ).toBe(true);
    expect(
      namesPath(
        'manifests: the API server refused: metadata.namespace: Invalid value',
        ns,
      ),
    ).toBe(true);
    expect(namesPath('Deployment/chat /metadata/namespace: bad', ns)).toBe(
      false,
    );
    expect(
      namesPath('manifests: refused: Deployment/chat kind: x is not a kind', [
        'manifests',
        0,
        'apiVersion',
      ]),
    ).toBe(false);
  });

  it('does not count a message naming only the parent, another field, or nothing', () => {
    expect(
      namesPath('/spec/gpu must NOT have additional properties', [
        'spec',
        'gpu',
        'extra',
      ]),
    ).toBe(false);
    expect(namesPath("Failed to decode param '%ZZ'", ['namespace'])).toBe(
      false,
    );
    expect(namesPath('Unexpected end of JSON input', ['body'])).toBe(false);
    expect(namesPath('namespace: must be a label', ['name'])).toBe(false);
    expect(namesPath('min: must be ≥ 0', ['replicas', 'min'])).toBe(false);
    expect(namesPath('anything', [])).toBe(false);
  });
});

describe('namesAny', () => {
  it('is named when any of the alternatives is', () => {
    expect(namesAny('name: Required', [['body'], ['name'], ['owner']])).toBe(
      true,
    );
    expect(namesAny('body: must be a JSON object', [['body'], ['name']])).toBe(
      true,
    );
    expect(namesAny('Unexpected token', [['body'], ['name']])).toBe(false);
  });
});
