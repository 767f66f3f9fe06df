/*
 * A REST request of the ModelFleet API as a known-good template, and the
 * request a mutation of it makes, byte for byte.
 */
import { Hostile } from './hostile';
import { RawRequest } from './http';
import {
  applyToJson,
  getAt,
  Mutation,
  objectPaths,
  Place,
  valuePaths,
} from './mutate';

/** A known-good request. */
export interface RestTemplate {
  method: 'GET' | 'POST';
  /** `/cost/entity/:kind/:namespace/:name` */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  /** Which token it is sent with: the static one, or the guest user's. */
  as?: 'service' | 'user';
}

/**
 * Percent-encodes a string for a URL; a lone surrogate (which UTF-8 cannot
 * carry) becomes the bytes of its code unit (`%ED%A0%80`), as a careless
 * client would send it.
 */
export function encodeText(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isHigh = c >= 0xd800 && c <= 0xdbff;
    const next = s.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map(b => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(s[i]);
    }
  }
  return out;
}

/** A value as URL or header text: strings as they are, the rest as JSON. */
export function scalarText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (x === null || typeof x !== 'object') return String(x);
  return JSON.stringify(x);
}

/**
 * The longest encoded value put in a URL or header: Node answers 431 for a
 * request head over 16 KB before any route sees it, which says nothing of
 * the API.
 */
export const MAX_URL_VALUE = 6_000;

/** Cuts encoded text to `max` characters, not inside a `%XX` escape. */
export function capEncoded(s: string, max = MAX_URL_VALUE): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const pct = cut.lastIndexOf('%');
  return pct >= max - 2 ? cut.slice(0, pct) : cut;
}

/**
 * A query parameter's `key=value` pairs, encoded: arrays repeat the key,
 * objects use brackets (`from[a][b]=1`) as `qs` reads them, at most 30
 * levels deep and 20 pairs.
 */
export function queryPairs(name: string, h: Hostile): string[] {
  if (h.url !== undefined) return [`${encodeText(name)}=${capEncoded(h.url)}`];
  const pairs: string[] = [];
  const walk = (key: string, x: unknown, depth: number) => {
    if (pairs.length >= 20) return;
    if (x !== null && typeof x === 'object' && depth < 30) {
      const entries = Array.isArray(x)
        ? x.map((item, i) => [depth === 0 ? '' : String(i), item] as const)
        : Object.entries(x);
      if (entries.length === 0) pairs.push(`${key}=`);
      for (const [k, item] of entries) {
        walk(
          Array.isArray(x) && depth === 0
            ? key
            : `${key}%5B${encodeText(k)}%5D`,
          item,
          depth + 1,
        );
      }
      return;
    }
    pairs.push(`${key}=${capEncoded(encodeText(scalarText(x)), 2_000)}`);
  };
  walk(encodeText(name), h.value, 0);
  return pairs;
}

/** A path segment, encoded (raw when the value carries URL text). */
export function pathSegment(h: Hostile): string {
  return capEncoded(h.url ?? encodeText(scalarText(h.value)));
}

/** Whether a raw path segment no longer addresses the route. */
export const isOffRoute = (segment: string) =>
  segment === '' ||
  segment === '.' ||
  segment === '..' ||
  segment.includes('/');

/** The fields a template's mutations may replace. */
export function restValuePlaces(t: RestTemplate): Place[] {
  return [
    ...Object.keys(t.params ?? {}).map(k => ({
      where: 'path' as const,
      path: [k],
    })),
    ...Object.keys(t.query ?? {}).map(k => ({
      where: 'query' as const,
      path: [k],
    })),
    ...Object.keys(t.headers ?? {}).map(k => ({
      where: 'header' as const,
      path: [k],
    })),
    ...(t.body
      ? valuePaths(t.body).map(p => ({ where: 'body' as const, path: p }))
      : []),
  ];
}

/** The known-good value at a place of a template. */
export function restValueAt(t: RestTemplate, place: Place): unknown {
  const key = String(place.path[0]);
  if (place.where === 'path') return t.params?.[key];
  if (place.where === 'query') return t.query?.[key];
  if (place.where === 'header') return t.headers?.[key];
  return getAt(t.body, place.path);
}

/** The objects a template's mutations may add a key to: the query, and the body's objects. */
export function restKeyPlaces(t: RestTemplate): Place[] {
  return [
    { where: 'query', path: [] },
    ...(t.body
      ? objectPaths(t.body).map(p => ({ where: 'body' as const, path: p }))
      : []),
  ];
}

/** The request a mutation of the template makes. */
export interface BuiltRequest {
  request: RawRequest;
  /** A path segment no longer addresses the route. */
  offRoute: boolean;
  /** A header value HTTP cannot carry: not sent. */
  unsendable?: boolean;
}

/** Builds the request of a template, mutated or not. */
export function buildRequest(
  t: RestTemplate,
  m: Mutation | undefined,
  token: string,
): BuiltRequest {
  let offRoute = false;
  const path = t.route.replace(/:([A-Za-z]+)/g, (_all, name: string) => {
    if (
      m?.kind === 'value' &&
      m.place.where === 'path' &&
      m.place.path[0] === name
    ) {
      const seg = pathSegment(m.hostile);
      offRoute = isOffRoute(seg);
      return seg;
    }
    return encodeText(t.params![name]);
  });
  const pairs: string[] = [];
  for (const [k, value] of Object.entries(t.query ?? {})) {
    if (
      m?.kind === 'value' &&
      m.place.where === 'query' &&
      m.place.path[0] === k
    ) {
      pairs.push(...queryPairs(k, m.hostile));
    } else pairs.push(`${encodeText(k)}=${encodeText(value)}`);
  }
  if (m?.kind === 'key' && m.place.where === 'query') {
    pairs.push(...queryPairs(m.key.key, m.key.value));
  }
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    ...t.headers,
  };
  let unsendable = false;
  if (m?.kind === 'value' && m.place.where === 'header') {
    const value = (m.hostile.url ?? scalarText(m.hostile.value)).slice(
      0,
      MAX_URL_VALUE,
    );
    unsendable = !/^[\t\x20-\x7e\x80-\xff]*$/.test(value);
    headers[String(m.place.path[0])] = value;
  }
  let body: string | Buffer | undefined;
  if (m?.kind === 'body') {
    body = m.body.text;
    if (m.body.contentType !== '') {
      headers['content-type'] = m.body.contentType ?? 'application/json';
    }
  } else if (t.body !== undefined) {
    headers['content-type'] = 'application/json';
    body =
      m && m.place.where === 'body'
        ? applyToJson(t.body, m)
        : JSON.stringify(t.body);
  }
  return {
    request: {
      method: t.method,
      path: `/api/modelfleet${path}${
        pairs.length ? `?${pairs.join('&')}` : ''
      }`,
      headers,
      body,
    },
    offRoute,
    unsendable,
  };
}
