/* eslint-disable no-console */
/** What the run prints at its end: its figures, and an action told whole enough to find why it did not end. */
import type { Accounting } from './accounting';
import { ActionView } from './backends';
import { CLUSTERS } from './environment';
import { MutationCollector } from './mutations';
import { Run } from './run';

/** An action that did not end, told whole enough to find why. */
export function describeAction(a: ActionView): string {
  const steps = a.steps
    .map((st, i) => `${i === a.stepIndex ? '>' : ' '}${i}:${st.do.op}`)
    .join(' ');
  const events = (a.events ?? [])
    .slice(-8)
    .map(
      e =>
        `\n    ${e.at} ${e.from ?? '-'}->${e.to} step=${e.step ?? '-'} ${
          e.outcome
        } by ${e.actor}: ${e.message}`,
    )
    .join('');
  return `${a.id} ${a.kind} ${a.entityRef} on ${a.cluster}: ${
    a.state
  } at step ${a.stepIndex} [${steps}], lease ${a.leaseOwner ?? 'none'} until ${
    a.leaseExpiresAt ?? '-'
  }, updated ${a.updatedAt}, last error ${a.lastError ?? 'none'}${events}`;
}

/**
 * Prints the figures of the run: its actions by kind, phase and end, the
 * load's requests and timing, the replays, the transitions by replica, the
 * changes on the clusters, and the actions applied twice, not final and
 * resumed after the kill.
 */
export function printFigures(
  run: Run,
  collector: MutationCollector,
  accounting: Accounting,
): void {
  const { stored, tracked, twice, notFinal, resumed } = accounting;
  const kinds = new Map<string, number>();
  const states = new Map<string, number>();
  for (const a of stored) {
    kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
    states.set(a.state, (states.get(a.state) ?? 0) + 1);
  }
  const phasesOf = new Map<string, number>();
  for (const t of tracked)
    phasesOf.set(t.phase, (phasesOf.get(t.phase) ?? 0) + 1);
  const durations = tracked
    .filter(t => t.finishedAt && t.phase === 'load')
    .map(t => t.finishedAt! - t.requestedAt)
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    durations.length
      ? (durations[Math.floor((durations.length - 1) * p)] / 1000).toFixed(1)
      : '-';
  const changes = collector.allChanges();
  console.log('\n== figures');
  console.log(
    `actions: ${stored.length} (${[...kinds]
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}); by phase ${[...phasesOf]
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}; ended ${[...states]
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
  );
  console.log(
    `load: asked of ${run.backends
      .map(b => `${b.label} ${tracked.filter(t => t.via === b.label).length}`)
      .join(', ')}; request to end p50 ${pct(0.5)} s, p95 ${pct(0.95)} s; ${
      run.driver.refused
    } requests refused (409), ${run.driver.resent} sent again after no answer`,
  );
  console.log(
    `late replays (same Idempotency-Key after the action ended): ${
      [...run.load.lateReplays].map(([k, n]) => `${n}× ${k}`).join(', ') ||
      'none'
    }`,
  );
  const runners = new Map<string, number>();
  for (const a of stored)
    for (const e of a.events ?? [])
      if (e.actor.startsWith('replica:'))
        runners.set(e.actor, (runners.get(e.actor) ?? 0) + 1);
  console.log(
    `transitions by replica: ${[...runners]
      .map(([k, n]) => `${run.replicas.byOwner(k)?.label ?? '?'} ${k} ${n}`)
      .join(', ')}`,
  );
  console.log(
    `changes by ModelFleet on the clusters: ${
      changes.filter(c => c.actionStep).length
    } under ${
      collector.countsByStep().size
    } action steps; requests by verb ${CLUSTERS.map(
      c =>
        `${c.name} ${JSON.stringify(
          collector.reports.get(c.name)?.requestsByVerb ?? {},
        )}`,
    ).join(', ')}`,
  );
  if (twice.length) {
    console.log('applied twice:');
    for (const x of twice.slice(0, 20)) console.log(`  ${x.step}: ${x.why}`);
  }
  if (notFinal.length) {
    console.log('not final:');
    for (const a of notFinal.slice(0, 20))
      console.log(
        `  ${a.id} ${a.kind} ${a.entityRef} ${a.state} step ${a.stepIndex + 1}`,
      );
  }
  console.log(
    `resumed after the kill: ${
      resumed
        .map(a => `${a.id} (${a.kind} ${a.entityRef}, ${a.state})`)
        .join(', ') || 'none'
    }`,
  );
}
