import { ActionView } from './backends';
import {
  addFaults,
  capabilities,
  Check,
  otherCount,
  RunContext,
} from './context';
import { sleep } from './http';

/** What the kill phase saw, for the summary and the final count. */
export interface KillResult {
  checks: Check[];
  /** The owner name of the replica killed, and when. */
  victimOwner?: string;
  killedAt?: number;
}

/**
 * Kills a replica with SIGKILL while it is inside a step of an action: a
 * scale whose write the simulator holds for a few seconds, so the lease is
 * taken and the call under way. The other replica must take the action
 * over once the lease has run out, and finish it or roll it back, within
 * the lease time plus a margin. Then the killed replica starts again.
 */
export async function killPhase(ctx: RunContext): Promise<KillResult> {
  const { settings: s, driver, replicas } = ctx;
  const leaseMs = s.leaseSeconds * 1000;
  const marginMs = 15_000;
  const model =
    ctx.models.find(m => m.name === 'search-reranker') ??
    ctx.models.find(m => !m.hasAutoscaler && m.clusterIndex === 0) ??
    ctx.models.find(m => !m.hasAutoscaler)!;
  const checks: Check[] = [];
  const check = (name: string, pass: boolean, detail: string) =>
    checks.push({ phase: 'kill', name, pass, detail });

  return ctx.locks.run(model.name, async () => {
    const caps = await capabilities(ctx, model);
    const n = otherCount(caps.replicas?.desired ?? 1);
    // The scale's write waits 6 s in the simulator: the replica holds the
    // lease and is inside the call when it dies.
    await addFaults(s, model.clusterIndex, [
      {
        verb: 'patch',
        resource: 'deployments/scale',
        namespace: model.namespace,
        name: model.name,
        delayMs: 6_000,
        times: 1,
      },
    ]);
    const t = await driver.request(model, 'scale', { replicas: n }, 'kill');
    if (!t) {
      check(
        'action to kill in',
        false,
        `the scale of ${model.name} was refused`,
      );
      return { checks };
    }
    let held: ActionView | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const a = await driver.get(t.id);
      if (
        a.state === 'applying' &&
        a.leaseOwner &&
        a.steps[a.stepIndex]?.do.op === 'scale' &&
        a.events?.some(
          e =>
            e.to === 'applying' &&
            e.step === a.stepIndex &&
            e.from !== 'applying',
        )
      ) {
        held = a;
        // The write is under way once the step has started; give the
        // replica a moment to send it.
        await sleep(1_500);
        break;
      }
      if (['done', 'rolledBack', 'failed'].includes(a.state)) break;
      await sleep(100);
    }
    const victim = replicas.byOwner(held?.leaseOwner);
    if (!held || !victim?.proc) {
      check(
        'action to kill in',
        false,
        `no replica was seen applying the scale step of ${t.id}`,
      );
      return { checks };
    }
    const owner = held.leaseOwner!;
    ctx.log(
      `kill: ${victim.label} (${owner}) holds action ${t.id} (scale ${
        model.name
      } to ${n}, step ${held.stepIndex + 1}); kill -9 pid ${victim.proc.pid}`,
    );
    victim.up = false;
    const killedAt = Date.now();
    await victim.proc.kill9();

    const final = await driver.waitFinal(t, leaseMs + marginMs + 30_000, 200);
    const took = Date.now() - killedAt;
    const after = (final?.events ?? []).filter(
      e => Date.parse(e.at) >= killedAt,
    );
    const takeover = after.find(e => e.actor !== owner);
    const tookOver = takeover ? Date.parse(takeover.at) - killedAt : undefined;
    check(
      'the other replica took the action over after the lease',
      Boolean(takeover && replicas.byOwner(takeover.actor) !== victim),
      takeover
        ? `${takeover.actor} recorded '${takeover.message}' ${(
            tookOver! / 1000
          ).toFixed(1)} s after the kill (lease ${s.leaseSeconds} s)`
        : 'no event by another replica after the kill',
    );
    check(
      `finished or rolled back within the lease + ${marginMs / 1000} s`,
      Boolean(
        final &&
          ['done', 'rolledBack'].includes(final.state) &&
          t.finishedAt! - killedAt <= leaseMs + marginMs,
      ),
      final
        ? `${final.state} ${((t.finishedAt! - killedAt) / 1000).toFixed(
            1,
          )} s after the kill${final.lastError ? `: ${final.lastError}` : ''}`
        : `not final ${(took / 1000).toFixed(0)} s after the kill`,
    );

    // The killed replica comes back (a new owner name) and works again.
    void ctx.restart(victim).then(
      () => ctx.log(`kill: ${victim.label} is back as ${victim.owner}`),
      e => ctx.log(`kill: ${victim.label} did not come back: ${e}`),
    );
    return { checks, victimOwner: owner, killedAt };
  });
}

/**
 * The actions a killed replica had in hand that another replica finished:
 * not final when it died, with an event by it before, and events by
 * another replica after.
 */
export function resumedAfterKill(
  actions: ActionView[],
  victimOwner: string | undefined,
  killedAt: number | undefined,
): ActionView[] {
  if (!victimOwner || !killedAt) return [];
  return actions.filter(a => {
    const events = a.events ?? [];
    const finalEvent = events.find(e =>
      ['done', 'rolledBack', 'failed', 'cancelled'].includes(e.to),
    );
    if (!finalEvent || Date.parse(finalEvent.at) < killedAt) return false;
    const before = events.some(
      e => e.actor === victimOwner && Date.parse(e.at) < killedAt,
    );
    const afterByOther = events.some(
      e => e.actor !== victimOwner && Date.parse(e.at) >= killedAt,
    );
    return before && afterByOther && finalEvent.actor !== victimOwner;
  });
}
