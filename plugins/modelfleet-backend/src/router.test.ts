/*
 * Hostile input changes nothing: every request below, taken from a
 * penetration test of the portal, is answered 400 with a message that names
 * the field at fault, never 500.
 */

import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { modelfleetPlugin } from './plugin';

jest.setTimeout(60_000);

/** Every route that reads a period (`from`, `to`, `granularity`). */
const PERIOD_ROUTES = [
  '/cost/fleet',
  '/cost/anomalies',
  '/cost/entity/model/default/llama',
  '/utilization/fleet',
  '/utilization/entity/gpupool/default/prod-l4',
  '/bills/reconciliation',
];

let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

beforeAll(async () => {
  ({ server } = await startTestBackend({ features: [modelfleetPlugin] }));
});

const get = (path: string) =>
  request(server)
    .get(`/api/modelfleet${path}`)
    .set('Authorization', mockCredentials.user.header());

const post = (path: string, body: string | undefined) => {
  const r = request(server)
    .post(`/api/modelfleet${path}`)
    .set('Authorization', mockCredentials.user.header())
    .set('Content-Type', 'application/json');
  return body === undefined ? r : r.send(body);
};

/** The parts of an answer that matter here, in the Backstage error shape. */
function answerOf(res: request.Response) {
  return {
    status: res.status,
    name: res.body?.error?.name,
    message: res.body?.error?.message,
    request: res.body?.request,
    statusCode: res.body?.response?.statusCode,
  };
}

/** A 400 InputError whose message matches. */
function badRequest(message: RegExp) {
  return {
    status: 400,
    name: 'InputError',
    message: expect.stringMatching(message),
    request: { method: expect.any(String), url: expect.any(String) },
    statusCode: 400,
  };
}

const RANGE = 'from 2000-01-01 to 2100-12-31';

describe('period parameters', () => {
  it.each(PERIOD_ROUTES)(
    'refuse a year-0000 period, naming the field and the range (%s)',
    async route => {
      expect(
        answerOf(await get(`${route}?from=0000-01-01&to=0000-01-31`)),
      ).toEqual(
        badRequest(
          new RegExp(
            `^from: must be a date as YYYY-MM-DD ${RANGE}, got '0000-01-01'$`,
          ),
        ),
      );
      expect(answerOf(await get(`${route}?to=0000-01-31`))).toEqual(
        badRequest(new RegExp(`^to: must be a date as YYYY-MM-DD ${RANGE}`)),
      );
    },
  );

  it.each([
    ['from=2026-02-30', 'from'],
    ['from=1999-12-31', 'from'],
    ['from=9999-12-31', 'from'],
    ['to=9999-12-31', 'to'],
    ['from=2026-01-01&to=2101-01-01', 'to'],
    ['from=-000001-01-01', 'from'],
    ['from=%2B275760-09-13', 'from'],
    ['to=%2B275760-09-13', 'to'],
    ['from=2026-1-1', 'from'],
  ])('refuse an invalid or extreme date: %s', async (query, field) => {
    for (const route of ['/cost/fleet', '/utilization/fleet']) {
      expect(answerOf(await get(`${route}?${query}`))).toEqual(
        badRequest(
          new RegExp(`^${field}: must be a date as YYYY-MM-DD ${RANGE}, got `),
        ),
      );
    }
  });

  it.each([
    ['from=', 'from'],
    ['to=', 'to'],
    ['from=2026-01-01&from=2026-01-02', 'from'],
    ['to[x]=2026-01-02', 'to'],
    ['granularity=day&granularity=week', 'granularity'],
  ])('refuse an empty or repeated parameter: %s', async (query, field) => {
    expect(answerOf(await get(`/cost/fleet?${query}`))).toEqual(
      badRequest(
        new RegExp(`^${field}: must be given once, as a non-empty string`),
      ),
    );
  });

  it('serves the edges of the supported range', async () => {
    for (const query of [
      'from=2000-01-01&to=2000-02-01',
      'from=2100-12-01&to=2100-12-31',
      'from=2100-12-31',
      'to=2000-01-02',
    ]) {
      const res = await get(`/cost/fleet?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
    }
  });
});

describe('user strings as object keys', () => {
  it.each([
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'CONSTRUCTOR',
  ])('refuse kind=%s on the entity routes', async kind => {
    for (const route of ['cost', 'utilization']) {
      expect(answerOf(await get(`/${route}/entity/${kind}/default/x`))).toEqual(
        badRequest(
          new RegExp(
            `^kind: must be one of model, gpupool, group, got '${kind}'$`,
          ),
        ),
      );
    }
  });

  it('still serves the kinds in any case', async () => {
    const res = await get('/cost/entity/GpuPool/default/prod-l4');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: 'pool',
      entityRef: 'gpupool:default/prod-l4',
    });
  });
});

describe('path segments', () => {
  it.each([
    ['/cost/entity/model/default/%E0%A4%A', 'name'],
    ['/cost/entity/%E0%A4%A/default/x', 'kind'],
    ['/utilization/entity/model/%ZZ/x', 'namespace'],
    ['/models/default/%E0%A4%A/capabilities', 'name'],
    ['/actions/%C0%80', 'id'],
  ])('refuse bad percent-encoding in %s, naming %s', async (path, field) => {
    expect(answerOf(await get(path))).toEqual(
      badRequest(
        new RegExp(`^${field}: is not valid percent-encoding, got '%`),
      ),
    );
  });
});

describe('JSON bodies', () => {
  it.each(['/placement', '/models/default/sdxl/hibernate', '/deployments'])(
    'refuse an unparsable body on POST %s',
    async path => {
      expect(answerOf(await post(path, '{bad'))).toEqual(
        badRequest(/^body: is not valid JSON \(.*position 1.*\)$/),
      );
      expect(answerOf(await post(path, '{"name": "x",}'))).toEqual(
        badRequest(/^body: is not valid JSON \(.*position \d+.*\)$/),
      );
    },
  );

  it.each([
    ['null', 'null'],
    ['42', 'a number'],
    ['"x"', 'a string'],
    ['true', 'a boolean'],
    ['[]', 'an array'],
    ['[{"name": "x"}]', 'an array'],
  ])('refuse the body %s where an object is expected', async (body, got) => {
    for (const path of ['/placement', '/models/default/sdxl/hibernate']) {
      expect(answerOf(await post(path, body))).toEqual(
        badRequest(new RegExp(`^body: must be a JSON object, got ${got}$`)),
      );
    }
  });

  it('refuses a missing body where one is required', async () => {
    // No body at all, and an empty one (Content-Length: 0).
    expect(answerOf(await post('/placement', undefined))).toEqual(
      badRequest(
        /^body: must be a JSON object, got none \(send one with Content-Type: application\/json\)$/,
      ),
    );
    expect(answerOf(await post('/placement', ''))).toEqual(
      badRequest(
        /^body: must be a JSON object, got none \(send one with Content-Type: application\/json\)$/,
      ),
    );
  });

  it('still names the first bad field of an object body', async () => {
    expect(answerOf(await post('/placement', '{}'))).toEqual(
      badRequest(/^name: Required/),
    );
  });
});
