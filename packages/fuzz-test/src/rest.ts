/*
 * The ModelFleet REST routes as targets: each route's known-good request
 * (checked to pass before fuzzing), and the verdict on each answer.
 */
import { poolEntityName } from '@modelfleet/plugin-modelfleet-common';
import { RawAnswer, send, setupCall } from './http';
import { expectedPaths, Mutation } from './mutate';
import { containsWord, namesAny } from './names';
import { Outcome } from './outcome';
import {
  buildRequest,
  RestTemplate,
  restValueAt,
  scalarText,
  restKeyPlaces,
  restValuePlaces,
} from './restRequest';
import { describeMutation, Target } from './runner';

/** What the REST targets need from the running portal. */
export interface RestContext {
  base: string;
  token: string;
  userToken: string;
  runs: number;
  exampleCap: number;
  /** Action ids that accepted requests returned: they may be stored. */
  allowedActions: Set<string>;
  /** Manifests of a model, rendered by modelfleet:manifests:render (when it works). */
  manifests?: Array<Record<string, any>>;
}

/** An id no action has. */
const NO_ACTION = '00000000-0000-4000-8000-000000000000';
/** An id no recommendation has. */
const NO_RECOMMENDATION = 'rightsizing-0000000000000000';
const KEY = 'fuzz-known-good';

/** A refusal, with its numbers blurred (ready counts, ids). */
export const shape = (a: { status: number; message: string }) =>
  `${a.status} ${a.message.replace(/[0-9a-f-]{36}|\d+/g, '#')}`;

/** The known-good requests; `scaleId` is filled in once the scale has run. */
export async function restTemplates(
  ctx: RestContext,
): Promise<Array<{ t: RestTemplate; expect: number }>> {
  const fleet = await setupCall(
    ctx.base,
    '/api/modelfleet/cost/fleet',
    ctx.token,
  );
  const to: string = fleet.json?.to;
  const from: string = fleet.json?.from;
  if (!from || !to)
    throw new Error(`GET /cost/fleet: ${fleet.status} ${fleet.message}`);
  const pools = await setupCall(ctx.base, '/api/modelfleet/pools', ctx.token);
  const pool = pools.json?.items?.[0];
  if (!pool)
    throw new Error(`GET /pools has no pool: ${pools.status} ${pools.message}`);
  const period = { from, to, granularity: 'day' };
  const get = (
    route: string,
    more: Partial<RestTemplate> = {},
    expect = 200,
  ) => ({
    t: { method: 'GET' as const, route, ...more },
    expect,
  });
  const post = (
    route: string,
    more: Partial<RestTemplate> = {},
    expect = 200,
  ) => ({
    t: { method: 'POST' as const, route, ...more },
    expect,
  });
  const model = (name: string) => ({ namespace: 'default', name });
  return [
    get('/health'),
    get('/status'),
    get('/clusters'),
    get('/pools'),
    get('/workloads'),
    get('/prices', {
      query: {
        provider: 'aws',
        region: 'us-east-1',
        instanceType: 'g6.xlarge',
        gpu: 'L4',
      },
    }),
    get('/policies/effective', { query: { team: 'search-team' } }),
    get('/cost/fleet', { query: period }),
    get('/cost/anomalies', { query: period }),
    get('/cost/entity/:kind/:namespace/:name', {
      params: {
        kind: 'model',
        namespace: 'default',
        name: 'llama-3-1-8b-chat',
      },
      query: period,
    }),
    get('/utilization/fleet', { query: period }),
    get('/utilization/entity/:kind/:namespace/:name', {
      params: {
        kind: 'gpupool',
        namespace: 'default',
        name: poolEntityName(pool.cluster, pool.name),
      },
      query: period,
    }),
    get('/bills/reconciliation', { query: period }),
    post('/placement', {
      body: {
        name: 'fuzz-probe',
        owner: 'group:default/search-team',
        runtime: 'vllm',
        parametersBillions: 8,
        precision: 'bf16',
        gpusPerReplica: 1,
        replicas: { min: 1, max: 2 },
        traffic: 'always-on',
        spot: 'allow',
        regions: ['us-east-1', 'us-central1'],
        gpuTypes: ['L4', 'A10G'],
        monthlyBudgetUsd: 10000,
        priority: 1,
      },
    }),
    post('/deployments', {
      as: 'user',
      body: {
        cluster: 'demo-aws-use1',
        namespace: 'search',
        model: 'model:default/fuzz-probe',
        owner: 'group:default/search-team',
        manifests: ctx.manifests ?? [],
        dryRun: true,
        idempotencyKey: 'fuzz-deploy-known-good',
        reason: 'fuzz test',
      },
    }),
    // A dry-run team's models: the actions wait for an approval.
    post(
      '/models/:namespace/:name/scale',
      {
        params: model('search-reranker'),
        headers: { 'Idempotency-Key': KEY },
        body: { replicas: 2, reason: 'fuzz test' },
      },
      201,
    ),
    post(
      '/models/:namespace/:name/hibernate',
      {
        params: model('bge-large-embeddings'),
        headers: { 'Idempotency-Key': KEY },
        body: { reason: 'fuzz test' },
      },
      201,
    ),
    // Awake: refused with 409 on purpose, to fuzz its checks.
    post(
      '/models/:namespace/:name/wake',
      {
        params: model('llama-3-1-8b-chat'),
        headers: { 'Idempotency-Key': KEY },
        body: { replicas: 1, reason: 'fuzz test' },
      },
      409,
    ),
    // Not deployed with the sleep idle tier: refused with 409, fuzzed.
    post(
      '/models/:namespace/:name/sleep',
      {
        params: model('llama-3-1-8b-chat'),
        headers: { 'Idempotency-Key': KEY },
        body: { reason: 'fuzz test' },
      },
      409,
    ),
    get('/models/:namespace/:name/capabilities', {
      params: model('search-reranker'),
    }),
    get('/models/:namespace/:name/hibernation', {
      params: model('sdxl-base'),
      query: { from: '2026-11-01', to: '2026-11-08' },
    }),
    get('/models/:namespace/:name/arbitrage', {
      params: model('sdxl-base'),
    }),
    // A move of a model (served by tgi, which the template renders) of a
    // team the fuzz portal keeps dry-run: it waits at planned, whatever
    // the body says, so nothing the fuzzer sends moves a model.
    post(
      '/models/:namespace/:name/migrations',
      {
        params: model('codellama-13b'),
        headers: { 'Idempotency-Key': KEY },
        body: {
          pool: `gpupool:default/${poolEntityName(
            'demo-azure-eastus',
            'nca100',
          )}`,
          dryRun: true,
          reason: 'fuzz test',
        },
      },
      201,
    ),
    get('/actions', {
      query: {
        entity: 'model:default/search-reranker',
        state: 'planned',
        limit: '10',
      },
    }),
    get('/actions/:id', { params: { id: '' } }),
    post('/actions/:id/approve', { params: { id: NO_ACTION } }, 404),
    post('/actions/:id/cancel', { params: { id: NO_ACTION } }, 404),
    // A loop that does nothing the fuzzer could see: the price refresh
    // re-reads the bundled catalog (202, or 409 while it runs).
    post('/tasks/:id/run', { params: { id: 'modelfleet-price-refresh' } }, 202),
    get('/savings', {
      query: { from: '2026-11-01', to: '2026-11-30', team: 'search-team' },
    }),
    get('/recommendations', {
      query: { entity: 'model:default/search-reranker', state: 'open' },
    }),
    // An id no recommendation has: nothing the fuzzer sends changes a
    // person's view or applies one.
    post(
      '/recommendations/:id/snooze',
      { params: { id: NO_RECOMMENDATION }, body: { days: 3 } },
      404,
    ),
    post(
      '/recommendations/:id/apply',
      { params: { id: NO_RECOMMENDATION } },
      404,
    ),
  ];
}

/** The value a mutated path segment carries, as the server decodes it. */
function segmentText(h: { value: unknown; url?: string }): string {
  if (h.url === undefined) return scalarText(h.value);
  try {
    return decodeURIComponent(h.url);
  } catch {
    return h.url;
  }
}

/**
 * The verdict on an answer to a mutated request: 5xx is a server error,
 * 2xx accepted; a 4xx is the known-good request's own refusal again
 * (`as-base`), a 404 for a path that no longer addresses the route
 * (`off-route`), or a rejection, named when its message names the mutated
 * field (a 404 for a path parameter also when it quotes the value).
 */
export function judgeAnswer(
  a: { status: number; message: string },
  r: {
    mutation: Mutation;
    offRoute: boolean;
    baseShape?: string;
    baseBody?: unknown;
  },
): Outcome {
  const m = r.mutation;
  const o = { status: a.status, message: a.message.slice(0, 2000) };
  if (a.status >= 500 || a.status < 200)
    return { verdict: 'server-error', ...o };
  if (a.status < 300) return { verdict: 'accepted', ...o };
  if (r.baseShape && shape(a) === r.baseShape)
    return { verdict: 'as-base', ...o };
  if (r.offRoute && a.status === 404) return { verdict: 'off-route', ...o };
  if (a.status === 404 && m.kind === 'value' && m.place.where === 'path') {
    const text = segmentText(m.hostile);
    if (text && containsWord(a.message, text))
      return { verdict: 'named', ...o };
  }
  return {
    verdict: namesAny(a.message, expectedPaths(m, r.baseBody))
      ? 'named'
      : 'unnamed',
    ...o,
  };
}

/** Notes the actions an accepted request returned. */
function noteActions(ctx: RestContext, a: RawAnswer) {
  for (const x of [a.json, a.json?.action]) {
    if (typeof x?.id === 'string') ctx.allowedActions.add(x.id);
  }
}

/**
 * The REST targets. Each known-good request runs first; a route whose
 * known-good request does not answer as it should is not fuzzed, and is
 * listed in `failures`.
 */
export async function restTargets(
  ctx: RestContext,
): Promise<{ targets: Target[]; failures: string[] }> {
  const out: Target[] = [];
  const failures: string[] = [];
  let scaleId = '';
  for (const { t, expect } of await restTemplates(ctx)) {
    if (t.route === '/actions/:id') {
      if (!scaleId) {
        failures.push(
          'GET /actions/:id: no action to read (the known-good scale failed)',
        );
        continue;
      }
      t.params = { id: scaleId };
    }
    const token = t.as === 'user' ? ctx.userToken : ctx.token;
    let first: RawAnswer;
    let known: RawAnswer;
    try {
      first = await send(ctx.base, buildRequest(t, undefined, token).request);
      // A second time: 200 for the same action (Idempotency-Key).
      known =
        t.route.startsWith('/models/') && t.method === 'POST'
          ? await send(ctx.base, buildRequest(t, undefined, token).request)
          : first;
    } catch (e) {
      failures.push(`${t.method} ${t.route}: ${(e as Error).message}`);
      continue;
    }
    noteActions(ctx, first);
    const ok =
      expect === 201
        ? first.status === 201 && known.status === 200
        : known.status === expect;
    if (!ok) {
      failures.push(
        `${t.method} ${t.route} answers ${first.status}${
          known === first ? '' : `, then ${known.status}`
        }, not ${expect}: ${known.message.slice(0, 300)}`,
      );
      continue;
    }
    if (t.route === '/models/:namespace/:name/scale') scaleId = first.json.id;
    const baseShape = expect >= 400 ? shape(known) : undefined;
    const id = `${t.method} ${t.route}`;
    out.push({
      id,
      surface: 'rest',
      valuePlaces: restValuePlaces(t),
      keyPlaces: restKeyPlaces(t),
      valueAt: place => restValueAt(t, place),
      badBody: t.method === 'POST',
      runs: ctx.runs,
      exampleCap: ctx.exampleCap,
      describe: (m: Mutation) => {
        const b = buildRequest(t, m, '…').request;
        const body =
          b.body === undefined
            ? ''
            : ` body ${JSON.stringify(String(b.body).slice(0, 160))}`;
        return `${b.method} ${b.path.slice(0, 200)}${body} — ${describeMutation(
          m,
        )}`;
      },
      async run(m: Mutation): Promise<Outcome> {
        const built = buildRequest(t, m, token);
        if (built.unsendable) return { verdict: 'skipped' };
        let a: RawAnswer;
        try {
          a = await send(ctx.base, built.request);
        } catch (e) {
          return {
            verdict: 'server-error',
            message: String((e as Error).message),
          };
        }
        if (t.method === 'POST' && a.status >= 200 && a.status < 300)
          noteActions(ctx, a);
        return judgeAnswer(a, {
          mutation: m,
          offRoute: built.offRoute,
          baseShape,
          baseBody: t.body,
        });
      },
    });
  }
  return { targets: out, failures };
}
