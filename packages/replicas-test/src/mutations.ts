import { ActionView } from './backends';
import { CLUSTERS } from './environment';
import { request } from './http';

/** One effective change the simulator recorded (`/_sim/mutations`). */
export interface Change {
  rv: number;
  time: string;
  verb: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name: string;
  source: string;
  user?: string;
  actionStep?: string;
}

interface Report {
  byActionStep: Record<string, number>;
  unannotated: number;
  total: number;
  requestsByVerb: Record<string, number>;
  changes: Change[];
}

/**
 * Collects every change of every simulated cluster. The simulator keeps
 * the last 1,000 changes; polling every few seconds keeps them all (each
 * change has a resourceVersion unique in its cluster), which the totals
 * confirm at the end.
 */
export class MutationCollector {
  readonly changes = new Map<string, Map<number, Change>>();
  readonly reports = new Map<string, Report>();
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly urls: string[]) {
    for (const c of CLUSTERS) this.changes.set(c.name, new Map());
  }

  async poll(): Promise<void> {
    await Promise.all(
      CLUSTERS.map(async (c, i) => {
        const r = await request<Report>(`${this.urls[i]}/_sim/mutations`, {
          timeoutMs: 10_000,
        });
        if (r.status !== 200) {
          throw new Error(`${c.name} /_sim/mutations answered ${r.status}`);
        }
        this.reports.set(c.name, r.body);
        const seen = this.changes.get(c.name)!;
        for (const ch of r.body.changes) seen.set(ch.rv, ch);
      }),
    );
  }

  start(everyMs = 2_000): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.poll()
        .catch(() => undefined)
        .finally(() => {
          this.busy = false;
        });
    }, everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Per cluster: annotated changes collected against the simulator's own count. */
  completeness(): Array<{ cluster: string; collected: number; total: number }> {
    return CLUSTERS.map(c => {
      const report = this.reports.get(c.name);
      const counted = report
        ? Object.values(report.byActionStep).reduce((a, b) => a + b, 0)
        : 0;
      const collected = [...this.changes.get(c.name)!.values()].filter(
        ch => ch.actionStep,
      ).length;
      return { cluster: c.name, collected, total: counted };
    });
  }

  /** Effective changes per action step, over all clusters (the simulator's counts). */
  countsByStep(): Map<string, number> {
    const out = new Map<string, number>();
    for (const report of this.reports.values()) {
      for (const [k, n] of Object.entries(report.byActionStep)) {
        out.set(k, (out.get(k) ?? 0) + n);
      }
    }
    return out;
  }

  allChanges(): Array<Change & { cluster: string }> {
    return [...this.changes].flatMap(([cluster, m]) =>
      [...m.values()].map(c => ({ ...c, cluster })),
    );
  }
}

/**
 * The most effective changes one run of an operation makes: a scale
 * stamps the workload with its step, then changes the replicas (two
 * changes); a pause or a keep-alive is one merge patch; an apply one change
 * per object; a wait none.
 */
export function changesOfOneRun(op: { op: string; objects?: unknown[] }) {
  switch (op.op) {
    case 'scale':
      return 2;
    case 'pauseAutoscaler':
    case 'setKeepAlive':
      return 1;
    case 'apply':
      return op.objects?.length ?? 1;
    default:
      return 0;
  }
}

/** An action step whose change reached the cluster more than once. */
export interface TwiceApplied {
  step: string;
  why: string;
}

/**
 * The action steps applied more than once: a step under which the same
 * object (and subresource) changed more than once, or whose changes are
 * more than one run of its operation makes; and changes under a step no
 * stored action has.
 */
export function appliedTwice(
  collector: MutationCollector,
  actions: ActionView[],
): { twice: TwiceApplied[]; unknownSteps: string[] } {
  const twice = new Map<string, string>();
  const perObject = new Map<string, number>();
  for (const c of collector.allChanges()) {
    if (!c.actionStep) continue;
    const key = `${c.actionStep}|${c.cluster}|${c.resource}${
      c.subresource ? `/${c.subresource}` : ''
    }|${c.namespace ?? ''}/${c.name}`;
    perObject.set(key, (perObject.get(key) ?? 0) + 1);
  }
  for (const [key, n] of perObject) {
    if (n > 1) {
      const [step, cluster, resource, object] = key.split('|');
      twice.set(
        step,
        `${cluster} ${resource} ${object} changed ${n} times under it`,
      );
    }
  }
  const bounds = new Map<string, number>();
  for (const a of actions) {
    a.steps.forEach((s, i) => {
      bounds.set(`${a.idempotencyKey}#${i}`, changesOfOneRun(s.do));
      if (s.undo) {
        bounds.set(
          `${a.idempotencyKey}#${i}:undo`,
          changesOfOneRun(s.undo as { op: string }),
        );
      }
    });
  }
  const unknownSteps: string[] = [];
  for (const [step, n] of collector.countsByStep()) {
    const bound = bounds.get(step);
    if (bound === undefined) {
      unknownSteps.push(step);
      continue;
    }
    if (n > bound && !twice.has(step)) {
      twice.set(step, `${n} changes, one run makes at most ${bound}`);
    }
  }
  return {
    twice: [...twice].map(([step, why]) => ({ step, why })),
    unknownSteps,
  };
}
