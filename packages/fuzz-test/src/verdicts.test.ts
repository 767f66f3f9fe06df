import { InputError, NotFoundError } from '@backstage/errors';
import { judgeThrown } from './inprocess';
import { Mutation } from './mutate';
import { judgeAnswer, shape } from './rest';
import { commandStrings, renderHarm } from './scaffolder';

const query = (name: string, value: unknown, url?: string): Mutation => ({
  kind: 'value',
  cls: 'dates',
  place: { where: 'query', path: [name] },
  hostile: { value, ...(url ? { url } : {}) },
});
const pathParam = (name: string, value: unknown, url?: string): Mutation => ({
  kind: 'value',
  cls: 'bad-percent',
  place: { where: 'path', path: [name] },
  hostile: { value, ...(url ? { url } : {}) },
});
const judge = (status: number, message: string, m: Mutation, more = {}) =>
  judgeAnswer({ status, message }, { mutation: m, offRoute: false, ...more })
    .verdict;

describe('judgeAnswer', () => {
  it('counts 5xx as a server error and 2xx as accepted', () => {
    expect(
      judge(
        500,
        "day: must be a date, got '-000001-12'",
        query('from', '0000-01-01'),
      ),
    ).toBe('server-error');
    expect(judge(503, '', query('from', 'x'))).toBe('server-error');
    expect(judge(200, '{}', query('from', '2026-11-01'))).toBe('accepted');
  });

  it('counts a 4xx naming the mutated field as named, else unnamed', () => {
    expect(
      judge(
        400,
        "from: must be a date as YYYY-MM-DD, got '0000-01-01'",
        query('from', '0000-01-01'),
      ),
    ).toBe('named');
    expect(
      judge(
        400,
        'to: must be after from (2026-11-03)',
        query('from', '9999-12-31'),
      ),
    ).toBe('named');
    expect(
      judge(
        400,
        "Failed to decode param '%ZZ'",
        pathParam('namespace', '%ZZ', '%ZZ'),
      ),
    ).toBe('unnamed');
    expect(
      judge(
        400,
        "namespace: not valid percent-encoding: '%ZZ'",
        pathParam('namespace', '%ZZ', '%ZZ'),
      ),
    ).toBe('named');
    expect(judge(413, 'request entity too large', query('from', 'x'))).toBe(
      'unnamed',
    );
  });

  it('counts a whole-body refusal as named when it names the body or a field', () => {
    const body: Mutation = {
      kind: 'body',
      cls: 'bad-body',
      body: { text: '{', label: 'truncated' },
    };
    const base = { replicas: 2, reason: 'r' };
    expect(
      judge(
        400,
        'body: is not valid JSON (Unexpected end of JSON input)',
        body,
        { baseBody: base },
      ),
    ).toBe('named');
    expect(
      judge(400, 'replicas: must be a whole number, got undefined', body, {
        baseBody: base,
      }),
    ).toBe('named');
    expect(
      judge(400, "Expected property name or '}' in JSON at position 1", body, {
        baseBody: base,
      }),
    ).toBe('unnamed');
  });

  it('counts a 404 quoting a path parameter as named', () => {
    expect(
      judge(
        404,
        'no Model model:default/0x10 in the catalog',
        pathParam('name', 16, '0x10'),
      ),
    ).toBe('named');
    expect(
      judge(
        404,
        'no Model model:default/false in the catalog',
        pathParam('name', false),
      ),
    ).toBe('named');
    expect(judge(404, 'no such thing', pathParam('name', 'x'))).toBe('unnamed');
  });

  it('sets aside the known-good refusal and a path that leaves the route', () => {
    const baseShape = shape({
      status: 409,
      message: 'wake: not now, it is awake (2 ready)',
    });
    expect(
      judge(409, 'wake: not now, it is awake (1 ready)', query('reason', 'x'), {
        baseShape,
      }),
    ).toBe('as-base');
    expect(
      judge(409, 'another refusal', query('reason', 'x'), { baseShape }),
    ).toBe('unnamed');
    expect(
      judgeAnswer(
        { status: 404, message: 'Not Found' },
        { mutation: pathParam('name', '../x'), offRoute: true },
      ).verdict,
    ).toBe('off-route');
  });
});

describe('judgeThrown', () => {
  const m: Mutation = {
    kind: 'value',
    cls: 'wrong-type',
    place: { where: 'input', path: ['gpu', 'count'] },
    hostile: { value: 'x' },
  };
  const isInput = (e: Error) =>
    ['InputError', 'NotFoundError'].includes(e.name);

  it('counts a validation error naming the field as named', () => {
    expect(
      judgeThrown(
        new InputError('gpu.count: Expected number, received string'),
        isInput,
        m,
      ).verdict,
    ).toBe('named');
    expect(
      judgeThrown(
        new InputError(
          'Invalid input passed to action x, instance.gpu.count is not of a type(s) number',
        ),
        isInput,
        m,
      ).verdict,
    ).toBe('named');
    expect(
      judgeThrown(new NotFoundError('no such pool'), isInput, m).verdict,
    ).toBe('unnamed');
  });

  it('counts any other exception as a crash', () => {
    const o = judgeThrown(
      new TypeError("Cannot read properties of undefined (reading 'count')"),
      isInput,
      m,
    );
    expect(o.verdict).toBe('server-error');
    expect(o.message).toContain('TypeError');
  });
});

describe('renderHarm', () => {
  const manifests = [
    {
      kind: 'Deployment',
      spec: {
        template: {
          spec: {
            containers: [
              {
                args: ['--model', 'org/m', '--port', '8000'],
                env: [{ name: 'A', value: '/data' }],
              },
            ],
          },
        },
      },
    },
  ];
  const baseline = new Set(commandStrings(manifests));
  const source = (cls: Mutation['cls'], value: string): Mutation => ({
    kind: 'value',
    cls,
    place: { where: 'input', path: ['model', 'source'] },
    hostile: { value },
  });
  const withArgs = (args: string[], env: string[] = []) => ({
    manifests: [
      {
        spec: {
          template: {
            spec: {
              initContainers: [
                {
                  command: ['sh'],
                  args,
                  env: env.map(value => ({ name: 'X', value })),
                },
              ],
              containers: manifests[0].spec.template.spec.containers,
            },
          },
        },
      },
    ],
  });

  it('finds an option-like source on a command line', () => {
    expect(
      renderHarm(
        source('option-like', 'hf://--trust-remote-code'),
        withArgs(['--model', '--trust-remote-code']),
        baseline,
      ),
    ).toContain('--trust-remote-code');
    expect(
      renderHarm(
        source('option-like', 'org/--x'),
        withArgs(['--model', 'org/--x']),
        baseline,
      ),
    ).toBeUndefined();
  });

  it('finds a .. segment on a command line or in the environment', () => {
    expect(
      renderHarm(
        source('path-traversal', 'hf://../../etc'),
        withArgs([], ['/data/../../etc']),
        baseline,
      ),
    ).toContain('..');
    expect(
      renderHarm(
        source('path-traversal', 'hf://a..b/c'),
        withArgs(['a..b/c']),
        baseline,
      ),
    ).toBeUndefined();
  });

  it('finds a credential of the source anywhere in the output', () => {
    expect(
      renderHarm(
        source('credentials', 'https://u:fuzzsecret42@host/m'),
        {
          manifests: [
            {
              metadata: {
                annotations: { src: 'https://u:fuzzsecret42@host/m' },
              },
            },
          ],
        },
        baseline,
      ),
    ).toContain('credential');
    const elsewhere: Mutation = {
      ...source('credentials', 'x'),
      place: { where: 'input', path: ['description'] },
    } as Mutation;
    expect(
      renderHarm(elsewhere, { manifests: [{ a: 'fuzzsecret42' }] }, baseline),
    ).toBeUndefined();
  });
});
