/*
 * What one input did, and the tally of a run.
 */
import { CLASSES, HostileClass } from './hostile';

/**
 * - `accepted`: 2xx, or the in-process call returned.
 * - `named` / `unnamed`: a rejection (4xx, or a validation error thrown
 *   in-process) whose message names / does not name the mutated field.
 * - `server-error`: 5xx, no answer, or an in-process exception that is not
 *   a validation error.
 * - `as-base`: the same refusal as the known-good input's (a route whose
 *   known-good request is refused on purpose, e.g. approving an action
 *   that does not exist).
 * - `off-route`: a 404 for a path segment that no longer addresses the
 *   route (it carries a `/`, or is empty, `.` or `..`).
 * - `not-this-kind`: a kind validator said the entity is not its kind.
 * - `skipped`: could not be sent (a header value HTTP cannot carry); not
 *   counted as an input.
 */
export type Verdict =
  | 'accepted'
  | 'named'
  | 'unnamed'
  | 'server-error'
  | 'as-base'
  | 'off-route'
  | 'not-this-kind'
  | 'skipped';

export interface Outcome {
  verdict: Verdict;
  status?: number;
  message?: string;
  /** Set when an accepted input let a hostile value through where it does harm. */
  unsafe?: string;
}

/** A failure kind reported per class. */
export type FailureKind = 'server-error' | 'unnamed' | 'unsafe';

export function failureOf(o: Outcome): FailureKind | undefined {
  if (o.verdict === 'server-error' || o.verdict === 'unnamed') return o.verdict;
  return o.unsafe ? 'unsafe' : undefined;
}

/** Where an input was in its cell: the pass, and the run's index. */
export interface RunRef {
  pass: 'canonical' | 'random';
  index: number;
}

/** The first failing input of one target, class and failure kind. */
export interface FailureExample {
  target: string;
  cls: HostileClass;
  kind: FailureKind;
  /** The first failing run, to replay it. */
  at: RunRef;
  /** The first failing random run (fast-check can shrink those; canonical ones are fixed). */
  randomAt?: RunRef;
  count: number;
  input: string;
  outcome: Outcome;
}

type Counts = Record<Verdict | 'unsafe' | 'inputs', number>;

const zero = (): Counts => ({
  inputs: 0,
  accepted: 0,
  named: 0,
  unnamed: 0,
  'server-error': 0,
  'as-base': 0,
  'off-route': 0,
  'not-this-kind': 0,
  skipped: 0,
  unsafe: 0,
});

/** Counts per class and per surface, and the first failing input of each kind per target and class. */
export class Tally {
  readonly byClass = new Map<HostileClass, Counts>();
  readonly bySurface = new Map<string, Counts>();
  readonly failures = new Map<string, FailureExample>();

  record(
    surface: string,
    target: string,
    cls: HostileClass,
    at: RunRef,
    outcome: Outcome,
    describe: () => string,
  ): void {
    if (outcome.verdict === 'skipped') return;
    for (const [map, key] of [
      [this.byClass, cls],
      [this.bySurface, surface],
    ] as const) {
      const c = (map as Map<string, Counts>).get(key) ?? zero();
      c.inputs++;
      c[outcome.verdict]++;
      if (outcome.unsafe) c.unsafe++;
      (map as Map<string, Counts>).set(key, c);
    }
    const kind = failureOf(outcome);
    if (!kind) return;
    const id = `${target}|${cls}|${kind}`;
    const seen = this.failures.get(id);
    const randomAt = at.pass === 'random' ? at : undefined;
    if (seen) {
      seen.count++;
      seen.randomAt ??= randomAt;
    } else {
      this.failures.set(id, {
        target,
        cls,
        kind,
        at,
        randomAt,
        count: 1,
        input: describe(),
        outcome,
      });
    }
  }

  total(key: keyof Counts): number {
    let n = 0;
    for (const c of this.byClass.values()) n += c[key];
    return n;
  }

  /** The table of counts per class, then per surface. */
  table(): string[] {
    const cols: Array<[string, keyof Counts]> = [
      ['inputs', 'inputs'],
      ['accepted', 'accepted'],
      ['named', 'named'],
      ['unnamed', 'unnamed'],
      ['5xx/crash', 'server-error'],
      ['unsafe', 'unsafe'],
      ['as-base', 'as-base'],
      ['off-route', 'off-route'],
      ['not-kind', 'not-this-kind'],
    ];
    const row = (label: string, c: Counts) =>
      `${label.padEnd(20)}${cols
        .map(([h, k]) => String(c[k]).padStart(h.length + 2))
        .join('')}`;
    const head = `${'class'.padEnd(20)}${cols
      .map(([h]) => h.padStart(h.length + 2))
      .join('')}`;
    const lines = [head];
    for (const cls of CLASSES) {
      const c = this.byClass.get(cls);
      if (c) lines.push(row(cls, c));
    }
    lines.push('');
    lines.push(head.replace('class', 'surface'));
    for (const [s, c] of this.bySurface) lines.push(row(s, c));
    return lines;
  }
}
