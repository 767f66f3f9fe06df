import {
  buildRequest,
  capEncoded,
  encodeText,
  isOffRoute,
  queryPairs,
  RestTemplate,
  restKeyPlaces,
  restValuePlaces,
} from './restRequest';

const template: RestTemplate = {
  method: 'POST',
  route: '/models/:namespace/:name/scale',
  params: { namespace: 'default', name: 'chat' },
  query: { dry: 'no' },
  headers: { 'Idempotency-Key': 'k1' },
  body: { replicas: 2 },
};

describe('encodeText', () => {
  it('percent-encodes, and sends a lone surrogate as its code unit bytes', () => {
    expect(encodeText('a b/é')).toBe('a%20b%2F%C3%A9');
    expect(encodeText('\ud800')).toBe('%ED%A0%80');
    expect(encodeText('\u{1f600}')).toBe('%F0%9F%98%80');
  });
});

describe('capEncoded', () => {
  it('cuts long text, never inside an escape', () => {
    expect(capEncoded('abc', 10)).toBe('abc');
    expect(capEncoded('abcdef', 4)).toBe('abcd');
    expect(capEncoded('ab%2Fcd', 4)).toBe('ab');
    expect(capEncoded('ab%2Fcd', 5)).toBe('ab%2F');
  });
});

describe('queryPairs', () => {
  it('repeats a key for an array and uses brackets for objects', () => {
    expect(queryPairs('from', { value: ['a', 'b'] })).toEqual([
      'from=a',
      'from=b',
    ]);
    expect(queryPairs('from', { value: { a: { b: 1 } } })).toEqual([
      'from%5Ba%5D%5Bb%5D=1',
    ]);
    expect(queryPairs('from', { value: 'x', url: '%ZZ' })).toEqual([
      'from=%ZZ',
    ]);
    expect(queryPairs('n', { value: -0 })).toEqual(['n=-0']);
  });
});

describe('buildRequest', () => {
  it('builds the known-good request', () => {
    const b = buildRequest(template, undefined, 'tok');
    expect(b.request.path).toBe(
      '/api/modelfleet/models/default/chat/scale?dry=no',
    );
    expect(b.request.body).toBe('{"replicas":2}');
    expect(b.request.headers).toMatchObject({
      authorization: 'Bearer tok',
      'Idempotency-Key': 'k1',
      'content-type': 'application/json',
    });
    expect(b.offRoute).toBe(false);
  });

  it('sends raw URL text as is and notes a segment that leaves the route', () => {
    const raw = buildRequest(
      template,
      {
        kind: 'value',
        cls: 'bad-percent',
        place: { where: 'path', path: ['namespace'] },
        hostile: { value: '%ZZ', url: '%ZZ' },
      },
      't',
    );
    expect(raw.request.path).toBe(
      '/api/modelfleet/models/%ZZ/chat/scale?dry=no',
    );
    const slash = buildRequest(
      template,
      {
        kind: 'value',
        cls: 'path-traversal',
        place: { where: 'path', path: ['name'] },
        hostile: { value: 'a', url: '../x' },
      },
      't',
    );
    expect(slash.offRoute).toBe(true);
    expect(isOffRoute('..')).toBe(true);
    expect(isOffRoute('%2e%2e')).toBe(false);
  });

  it('adds an unknown query key, mutates a header, replaces the body', () => {
    expect(
      buildRequest(
        template,
        {
          kind: 'key',
          cls: 'prototype-keys',
          place: { where: 'query', path: [] },
          key: { key: '__proto__', value: { value: 'x' } },
        },
        't',
      ).request.path,
    ).toContain('&__proto__=x');
    expect(
      buildRequest(
        template,
        {
          kind: 'value',
          cls: 'odd-unicode',
          place: { where: 'header', path: ['Idempotency-Key'] },
          hostile: { value: '\u200b' },
        },
        't',
      ).unsendable,
    ).toBe(true);
    const body = buildRequest(
      template,
      {
        kind: 'body',
        cls: 'bad-body',
        body: { text: '{', label: 'truncated' },
      },
      't',
    );
    expect(body.request.body).toBe('{');
    const noType = buildRequest(
      template,
      {
        kind: 'body',
        cls: 'bad-body',
        body: { text: '{}', contentType: '', label: 'none' },
      },
      't',
    );
    expect(noType.request.headers!['content-type']).toBeUndefined();
  });

  it('lists the places of a template', () => {
    expect(
      restValuePlaces(template).map(p => `${p.where}:${p.path.join('.')}`),
    ).toEqual([
      'path:namespace',
      'path:name',
      'query:dry',
      'header:Idempotency-Key',
      'body:replicas',
    ]);
    expect(restKeyPlaces(template)).toEqual([
      { where: 'query', path: [] },
      { where: 'body', path: [] },
    ]);
  });
});
