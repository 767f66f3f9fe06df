import { ModelInfo, Tracked } from './actions';
import { ActionView } from './backends';
import {
  addFaults,
  capabilities,
  Check,
  clearFaults,
  FaultSpec,
  otherCount,
  RunContext,
} from './context';
import { clusterUrl } from './environment';
import { request, sleep } from './http';

const FAULTED_CLUSTER = 1; // demo-gcp-usc1

interface Expectation {
  /** `done` after retries, or ended rolled back or failed with the reason. */
  outcome: 'done' | 'gaveUp';
  /** What the retries' messages or the lastError must say. */
  reason: RegExp;
  /** Retries the events must show. */
  minRetries: number;
  /** Check that the waits between retries grow (1 s, 2 s, 2 s …). */
  backoff?: boolean;
}

const retriesOf = (a: ActionView, reason: RegExp) =>
  (a.events ?? []).filter(
    e => e.outcome === 'retrying' && reason.test(e.message),
  );

/** The waits between a step's tries (its first try, then each retry event). */
function backoffCheck(a: ActionView): { ok: boolean; gaps: number[] } {
  const events = a.events ?? [];
  const start = events.find(e => e.to === 'applying' && e.from !== 'applying');
  const retries = events.filter(
    e => e.outcome === 'retrying' && e.from === 'applying',
  );
  const times = [start, ...retries].filter(Boolean).map(e => Date.parse(e!.at));
  const gaps = times.slice(1).map((t, i) => (t - times[i]) / 1000);
  // After try k the runner waits min(2, 1 * 2^(k-1)) s before the next.
  const expected = gaps.map((_, i) =>
    i === 0 ? 0 : Math.min(2, 2 ** (i - 1)),
  );
  const ok =
    gaps.length >= 2 && gaps.every((g, i) => g >= expected[i] * 0.9 - 0.05);
  return { ok, gaps };
}

/**
 * Faults injected by the simulator on one cluster (demo-gcp-usc1) while the
 * actions on the other clusters go on: bursts of 503 and of 409, a
 * connection cut, a call that times out, a 403, a 503 that does not pass,
 * and dropped watches. Each is aimed at one model's writes; the action
 * must retry with backoff and end done, or give up with the reason in its
 * lastError.
 */
export async function faultPhase(
  ctx: RunContext,
): Promise<{ checks: Check[]; window: [number, number] }> {
  const { settings: s, driver } = ctx;
  const checks: Check[] = [];
  const check = (name: string, pass: boolean, detail: string) =>
    checks.push({ phase: 'faults', name, pass, detail });
  const byName = (name: string) =>
    ctx.models.find(m => m.name === name && m.clusterIndex === FAULTED_CLUSTER);
  const started = Date.now();

  const scenario = async (
    name: string,
    model: ModelInfo | undefined,
    faults: (m: ModelInfo) => FaultSpec[],
    expect: Expectation,
    timeoutMs = 60_000,
  ): Promise<Tracked | undefined> => {
    if (!model) {
      check(name, false, 'its model is not in the simulated fleet');
      return undefined;
    }
    const caps = await capabilities(ctx, model);
    const n = otherCount(caps.replicas?.desired ?? 1);
    await addFaults(s, model.clusterIndex, faults(model));
    const t = await driver.request(model, 'scale', { replicas: n }, 'faults');
    if (!t) {
      check(name, false, `the scale of ${model.name} to ${n} was refused`);
      return undefined;
    }
    const a = await driver.waitFinal(t, timeoutMs);
    if (!a) {
      check(name, false, `${t.id} not final after ${timeoutMs / 1000} s`);
      return t;
    }
    const retries = retriesOf(a, expect.reason);
    const ended =
      expect.outcome === 'done'
        ? a.state === 'done'
        : ['rolledBack', 'failed'].includes(a.state) &&
          expect.reason.test(a.lastError ?? '');
    let pass = ended && retries.length >= expect.minRetries;
    let extra = '';
    if (expect.backoff) {
      const b = backoffCheck(a);
      pass &&= b.ok;
      extra = `, waits between tries ${b.gaps
        .map(g => `${g.toFixed(1)} s`)
        .join(', ')}`;
    }
    check(
      name,
      pass,
      `${model.name}: ${a.state} after ${retries.length} retr${
        retries.length === 1 ? 'y' : 'ies'
      }${extra}${
        a.lastError ? `; lastError: ${a.lastError.slice(0, 300)}` : ''
      }`,
    );
    return t;
  };

  const scalePatch = (m: ModelInfo, spec: FaultSpec): FaultSpec => ({
    verb: 'patch',
    resource: 'deployments/scale',
    namespace: m.namespace,
    name: m.name,
    ...spec,
  });

  const codellama = byName('codellama-13b');
  const bge = byName('bge-large-embeddings');
  const flux = byName('flux-schnell');
  const whisper = byName('whisper-large-v3');

  const onModel = (m: ModelInfo | undefined, fn: () => Promise<unknown>) =>
    m ? ctx.locks.run(m.name, fn) : fn();

  await Promise.all([
    onModel(codellama, async () => {
      await scenario(
        '503 burst: retried, then done',
        codellama,
        m => [scalePatch(m, { status: 503, times: 2 })],
        {
          outcome: 'done',
          reason: /unable to handle the request/,
          minRetries: 2,
        },
      );
      await scenario(
        '503 that does not pass: retried with backoff, then gave up with the reason',
        codellama,
        m => [scalePatch(m, { status: 503, times: 1000 })],
        {
          outcome: 'gaveUp',
          reason: /unable to handle the request/,
          minRetries: s.maxAttempts - 1,
          backoff: true,
        },
      );
      await clearFaults(s, FAULTED_CLUSTER);
    }),
    onModel(bge, async () => {
      await scenario(
        '409 conflicts: retried, then done',
        bge,
        m => [scalePatch(m, { status: 409, times: 2 })],
        {
          outcome: 'done',
          reason: /Operation cannot be fulfilled/,
          minRetries: 2,
        },
      );
      await scenario(
        '403: not retried, rolled back with the reason',
        bge,
        m => [scalePatch(m, { status: 403, times: 1 })],
        {
          outcome: 'gaveUp',
          reason: /forbidden: injected by the simulator/,
          minRetries: 0,
        },
      );
    }),
    onModel(flux, () =>
      scenario(
        'connection cut: retried, then done',
        flux,
        m => [
          {
            verb: 'patch',
            resource: 'scaledobjects',
            namespace: m.namespace,
            name: m.name,
            drop: true,
            times: 1,
          },
        ],
        {
          outcome: 'done',
          reason: /socket|ECONNRESET|hang up|terminated|closed/i,
          minRetries: 1,
        },
      ),
    ),
    onModel(whisper, async () => {
      // The actuator gives up a call after 30 s.
      const t = await scenario(
        'timeout: the call is given up and the action still ends done',
        whisper,
        m => [
          {
            verb: 'get',
            resource: 'deployments/scale',
            namespace: m.namespace,
            name: m.name,
            delayMs: 31_000,
            times: 1,
          },
        ],
        { outcome: 'done', reason: /./, minRetries: 0 },
        90_000,
      );
      if (t?.final) {
        const actors = new Set(
          (t.final.events ?? [])
            .filter(e => e.actor.startsWith('replica:'))
            .map(e => e.actor),
        );
        const c = checks.find(x => x.name.startsWith('timeout:'));
        if (c) {
          c.detail += `; run by ${[...actors].join(' and ')}${
            actors.size > 1
              ? ' (the lease ran out while the call waited: another replica took the action over)'
              : ''
          }`;
        }
      }
      await watchesScenario(ctx, whisper, check);
    }),
  ]);
  await clearFaults(s, FAULTED_CLUSTER);
  return { checks, window: [started, Date.now()] };
}

/**
 * Cuts the cluster's watches and expires them (410 Gone); the connector
 * must list again and see a change made after, and the actions must go on.
 */
async function watchesScenario(
  ctx: RunContext,
  model: ModelInfo | undefined,
  check: (name: string, pass: boolean, detail: string) => void,
) {
  const name = 'dropped and expired watches: the cluster view catches up';
  if (!model) {
    check(name, false, 'its model is not in the simulated fleet');
    return;
  }
  const url = clusterUrl(ctx.settings, model.clusterIndex);
  const openWatches = async () =>
    Number((await request(`${url}/_sim/watches`)).body?.open ?? 0);
  const reopened = async () => {
    const until = Date.now() + 15_000;
    while ((await openWatches()) === 0 && Date.now() < until) await sleep(250);
  };
  const dropped = await request(`${url}/_sim/watches`, {
    method: 'POST',
    body: { action: 'drop' },
  });
  // Once the connectors watch again, their history is compacted away: the
  // watches end with 410 Gone and must list again.
  await reopened();
  const expired = await request(`${url}/_sim/watches`, {
    method: 'POST',
    body: { action: 'expire' },
  });
  await reopened();
  const caps = await capabilities(ctx, model);
  const n = otherCount(caps.replicas?.desired ?? 1);
  const t = await ctx.driver.request(model, 'scale', { replicas: n }, 'faults');
  const a = t && (await ctx.driver.waitFinal(t, 60_000));
  let seen: number | undefined;
  const deadline = Date.now() + 30_000;
  while (a?.state === 'done' && Date.now() < deadline) {
    const views = await Promise.all(
      ctx.replicas.all
        .filter(b => b.up)
        .map(b =>
          b
            .call('GET', '/workloads')
            .then(r =>
              (r.body.items as any[]).find(
                w => w.cluster === model.cluster && w.name === model.name,
              ),
            )
            .catch(() => undefined),
        ),
    );
    const desired = views.map(w => w?.replicas?.desired);
    seen = desired[0];
    if (desired.length && desired.every(d => d === n)) break;
    seen = undefined;
    await sleep(1_000);
  }
  check(
    name,
    a?.state === 'done' && seen === n,
    `${dropped.body?.dropped ?? '?'} watches cut, ${
      expired.body?.expired ?? '?'
    } expired; the scale of ${model.name} to ${n} ended ${
      a?.state ?? 'not final'
    }; the replicas' workload views ${
      seen === n ? `show ${n} replicas` : 'did not catch up within 30 s'
    }`,
  );
}
