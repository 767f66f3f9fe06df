/*
 * The classes of hostile input and their values, as fast-check arbitraries.
 *
 * A value is mostly a JavaScript value; where JSON.stringify cannot write
 * what the class needs (`1e309`), it carries the raw JSON text too, and
 * where a URL must carry bytes as they are (`%ZZ`), the raw URL text.
 */
import fc from 'fast-check';

/** The classes of hostile input, in the order the report lists them. */
export const CLASSES = [
  'wrong-type',
  'non-finite',
  'negative-fraction',
  'huge-string',
  'deep-nesting',
  'odd-unicode',
  'prototype-keys',
  'path-traversal',
  'bad-percent',
  'option-like',
  'dates',
  'unknown-keys',
  'credentials',
  'bad-body',
] as const;

export type HostileClass = (typeof CLASSES)[number];

/** One hostile value. */
export interface Hostile {
  /** The value as JavaScript (in-process inputs; JSON when `json` is absent). */
  value: unknown;
  /** Raw JSON text, when JSON.stringify cannot make it (`1e309`). */
  json?: string;
  /** Raw URL text sent as is (`%ZZ`, `..%2F`); else the value is percent-encoded. */
  url?: string;
}

/** A key to add to an object, and the value it gets. */
export interface HostileKey {
  key: string;
  value: Hostile;
}

/** A whole request body sent as is, for the `bad-body` class. */
export interface HostileBody {
  text: string | Buffer;
  contentType?: string;
  label: string;
  /** Keys the body has: a rejection may name one of them. */
  keys?: string[];
}

/** A hostile value. */
export const v = (
  value: unknown,
  extra: Omit<Hostile, 'value'> = {},
): Hostile => ({
  value,
  ...extra,
});

/** The secret that `credentials` values carry, to find it where it leaks. */
export const SECRET = 'fuzzsecret42';

export const nested = (
  depth: number,
  leaf: unknown,
  asObject: boolean,
): unknown => {
  let x: unknown = leaf;
  for (let i = 0; i < depth; i++) x = asObject ? { a: x } : [x];
  return x;
};

const wrongType = fc
  .oneof(
    fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      1,
      '',
      'x',
      [],
      {},
      [1, 2],
      { a: 1 },
      ['x'],
      '1',
      'true',
      'null',
    ),
    fc.integer({ min: -1000, max: 1000 }),
    fc.string({ maxLength: 12 }),
    fc.array(fc.integer(), { maxLength: 3 }),
  )
  .map(x => v(x));

const nonFinite = fc.constantFrom(
  v(Infinity, { json: '1e309', url: '1e309' }),
  v(-Infinity, { json: '-1e309', url: '-1e309' }),
  v(NaN, { json: 'NaN', url: 'NaN' }),
  v(Infinity, { json: '1e400', url: 'Infinity' }),
  v(1e308, { json: '1e308', url: '1e308' }),
  v(Number.MAX_VALUE, { url: '1.7976931348623157e308' }),
  v(2 ** 53 + 2, { json: '9007199254740993', url: '9007199254740993' }),
  v(-(2 ** 63), { url: '-9223372036854775808' }),
  v(1e21, { url: '1e21' }),
  v(5e-324, { url: '5e-324' }),
  v(-0, { json: '-0', url: '-0' }),
  v(16, { url: '0x10' }),
);

const negativeFraction = fc
  .oneof(
    fc.constantFrom(-1, -0.5, 0.5, 1.5, -2.25, 0.1 + 0.2, -1e-9, 2.000001),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -1e9, max: -1 }),
  )
  .map(x => v(x));

const hugeString = fc
  .record({
    unit: fc.constantFrom('a', 'x-', '9', '/', 'A.b_'),
    length: fc.integer({ min: 2_000, max: 30_000 }),
  })
  .map(({ unit, length }) => v(unit.repeat(Math.ceil(length / unit.length))));

/** Values nested up to `maxDepth` levels deep. */
export const deepNesting = (maxDepth = 3_000) =>
  fc
    .record({
      depth: fc.integer({ min: Math.min(50, maxDepth), max: maxDepth }),
      asObject: fc.boolean(),
    })
    .map(({ depth, asObject }) => v(nested(depth, 1, asObject)));

const ODD = [
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\u202eevil\u202c',
  '\u200b',
  'a\u200db',
  '\ufeff',
  '\u0000',
  'a\u0000b',
  '\u0007\u001b[31m',
  'e\u0301',
  '\u{1f600}',
  '\u0627\u0644\u0639\u0631\u0628\u064a\u0629',
  '\r\n',
  '\u2028',
  '\uffff',
];

const oddUnicode = fc
  .record({
    odd: fc.constantFrom(...ODD),
    prefix: fc.constantFrom('', 'llama', 'search-team', '2026-11-01'),
  })
  .map(({ odd, prefix }) => v(`${prefix}${odd}`));

export const PROTO_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

const protoValue = fc.constantFrom(...PROTO_NAMES).map(s => v(s));

const TRAVERSAL = [
  v('../'),
  v('..'),
  v('../../../etc/passwd'),
  v('..\\..\\windows'),
  v('/etc/passwd'),
  v('....//....//etc'),
  v('hf://../../../etc/passwd'),
  v('org/..'),
  v('s3://bucket/../../etc'),
  v('%2e%2e%2f', { url: '%2e%2e%2f' }),
  v('..%2f..%2fetc', { url: '..%2f..%2fetc' }),
  v('%252e%252e%252f', { url: '%252e%252e%252f' }),
  v('..;/', { url: '..;' }),
  v('./x'),
];
const pathTraversal = fc.constantFrom(...TRAVERSAL);

const BAD_PERCENT = [
  '%',
  '%Z',
  '%ZZ',
  '%E0%A4%A',
  '%ff',
  '%ED%A0%80',
  '%C0%AF',
];
const badPercent = fc
  .record({
    bad: fc.constantFrom(...BAD_PERCENT),
    prefix: fc.constantFrom('', 'a', 'model'),
  })
  .map(({ bad, prefix }) => v(`${prefix}${bad}`, { url: `${prefix}${bad}` }));

const OPTIONS = [
  '--trust-remote-code',
  '-rf',
  '--help',
  '-',
  '--',
  '--model=/etc/passwd',
  'hf://--trust-remote-code',
  'org/--trust-remote-code',
  '-o/tmp/x',
  '$(id)',
  '`id`',
  '; rm -rf /',
];
const optionLike = fc.constantFrom(...OPTIONS).map(s => v(s));

const DATES = [
  '0000-01-01',
  '9999-12-31',
  '2026-02-30',
  '+275760-09-13',
  '-000001-01-01',
  '2026-13-01',
  '2026-00-10',
  '2026-1-1',
  '2026-11-01T00:00:00Z',
  '1970-01-01',
  '2026-02-29',
  '20261101',
  '2026-11-01 ',
  'NaN-NaN-NaN',
];
const dates = fc.constantFrom(...DATES).map(s => v(s));

const CREDENTIALS = [
  `https://user:${SECRET}@huggingface.co/org/model`,
  `hf://user:${SECRET}@org/model`,
  `s3://AKIAIOSFODNN7EXAMPLE:${SECRET}@bucket/models/x`,
  `oci://robot:${SECRET}@registry.example.com/models/x:1`,
  `gs://u:${SECRET}@bucket/x`,
  `https://${SECRET}@example.com/x`,
  `postgres://admin:${SECRET}@db:5432/x`,
];
const credentials = fc.constantFrom(...CREDENTIALS).map(s => v(s));

/** Values of each class that replace one field. */
export const VALUE_ARBITRARIES: Partial<
  Record<HostileClass, fc.Arbitrary<Hostile>>
> = {
  'wrong-type': wrongType,
  'non-finite': nonFinite,
  'negative-fraction': negativeFraction,
  'huge-string': hugeString,
  'deep-nesting': deepNesting(),
  'odd-unicode': oddUnicode,
  'prototype-keys': protoValue,
  'path-traversal': pathTraversal,
  'bad-percent': badPercent,
  'option-like': optionLike,
  dates,
  credentials,
};

/** Keys added to an object: unknown ones, and the prototype's names. */
export const KEY_ARBITRARIES: Partial<
  Record<HostileClass, fc.Arbitrary<HostileKey>>
> = {
  'unknown-keys': fc.record({
    key: fc.oneof(
      fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/),
      fc.constantFrom('$where', 'a.b', 'a/b', 'x-y', '0', 'Name', 'extra'),
    ),
    value: fc.oneof(
      fc.constantFrom(v(1), v('x'), v(true), v(null), v({}), v([])),
    ),
  }),
  'prototype-keys': fc.record({
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    value: fc.constantFrom(
      v({ polluted: true }),
      v({ isAdmin: true, toString: 'x' }),
      v('x'),
      v(1),
      v(null),
    ),
  }),
};

/** A short, printable rendering of a value for reports. */
export function describeValue(x: unknown, max = 80): string {
  let s: string;
  try {
    if (typeof x === 'string') s = JSON.stringify(x);
    else if (typeof x === 'number' && !Number.isFinite(x)) s = String(x);
    else {
      s =
        JSON.stringify(x, (_k, val) =>
          typeof val === 'number' && !Number.isFinite(val) ? `<${val}>` : val,
        ) ?? String(x);
    }
  } catch {
    s = String(x);
  }
  if (s.length > max) s = `${s.slice(0, max)}… (${s.length} chars)`;
  return s;
}

/** A hostile value for reports: its raw text when it has one. */
export function describeHostile(h: Hostile, max = 80): string {
  if (h.json !== undefined) return h.json;
  if (h.url !== undefined && typeof h.value === 'string' && h.url !== h.value) {
    return h.url;
  }
  return describeValue(h.value, max);
}
