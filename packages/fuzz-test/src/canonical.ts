/*
 * The canonical inputs of each class, tried at every field before the
 * random ones, and the whole bodies of the `bad-body` class.
 */
import fc from 'fast-check';
import {
  Hostile,
  HostileBody,
  HostileClass,
  HostileKey,
  nested,
  SECRET,
  v,
} from './hostile';

/**
 * The values each class tries first, at every field (the ones a reviewer
 * would try by hand); the random ones follow.
 */
export const CANONICAL_VALUES: Partial<Record<HostileClass, Hostile[]>> = {
  'wrong-type': [v(null), v(123), v('x'), v({}), v([]), v(true)],
  'non-finite': [
    v(Infinity, { json: '1e309', url: '1e309' }),
    v(NaN, { json: 'NaN', url: 'NaN' }),
    v(-Infinity, { json: '-1e309', url: '-1e309' }),
  ],
  'negative-fraction': [v(-1), v(0.5)],
  'huge-string': [v('a'.repeat(20_000))],
  'deep-nesting': [v(nested(1_000, 1, false))],
  'odd-unicode': [v('\ud800'), v('\u202eevil'), v('a\u0000b'), v('\u200b')],
  'prototype-keys': [v('constructor'), v('__proto__'), v('prototype')],
  'path-traversal': [
    v('../../../etc/passwd'),
    v('%2e%2e%2f', { url: '%2e%2e%2f' }),
    v('hf://../../../etc/passwd'),
  ],
  'bad-percent': [v('%ZZ', { url: '%ZZ' }), v('%E0%A4%A', { url: '%E0%A4%A' })],
  'option-like': [
    v('--trust-remote-code'),
    v('hf://--trust-remote-code'),
    v('-rf'),
  ],
  dates: [
    v('0000-01-01'),
    v('9999-12-31'),
    v('2026-02-30'),
    v('+275760-09-13'),
  ],
  credentials: [
    v(`https://user:${SECRET}@huggingface.co/org/model`),
    v(`s3://AKIAIOSFODNN7EXAMPLE:${SECRET}@bucket/models/x`),
  ],
};

/** The keys each class adds first, to every object. */
export const CANONICAL_KEYS: Partial<Record<HostileClass, HostileKey[]>> = {
  'unknown-keys': [{ key: 'fuzzExtra', value: v(1) }],
  'prototype-keys': [
    { key: '__proto__', value: v({ polluted: true }) },
    { key: 'constructor', value: v({ polluted: true }) },
  ],
};

const BAD_BODIES: HostileBody[] = [
  { text: '', label: 'empty' },
  { text: '   \n', label: 'whitespace' },
  { text: '{', label: 'truncated' },
  { text: '{"a":}', label: 'missing value', keys: ['a'] },
  { text: "{'a':1}", label: 'single quotes' },
  { text: '{"a":1}x', label: 'trailing garbage', keys: ['a'] },
  { text: 'nul', label: 'bad literal' },
  { text: 'null', label: 'null' },
  { text: '[]', label: 'array' },
  { text: '"body"', label: 'string' },
  { text: '42', label: 'number' },
  { text: '1e309', label: 'non-finite number' },
  { text: '{"a":NaN}', label: 'NaN literal', keys: ['a'] },
  { text: '{"a":1,"a":2}', label: 'duplicate keys', keys: ['a'] },
  { text: '\ufeff{}', label: 'byte order mark' },
  {
    text: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    label: 'invalid UTF-8',
    // What a UTF-8 decoder makes of the key.
    keys: ['\ufffd\ufffd'],
  },
  { text: `${'['.repeat(5000)}${']'.repeat(5000)}`, label: 'nesting 5000' },
  { text: '{}', contentType: 'text/plain', label: 'text/plain' },
  { text: '{"a":1}', contentType: '', label: 'no content type', keys: ['a'] },
  { text: '<x/>', contentType: 'application/xml', label: 'xml' },
];

/** Whole bodies for the `bad-body` class. */
export const badBody = fc.constantFrom(...BAD_BODIES);

/** Every whole body of the `bad-body` class, tried first. */
export const CANONICAL_BODIES = BAD_BODIES;
