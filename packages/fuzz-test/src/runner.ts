/*
 * Runs the inputs: one fast-check property per target and class (a
 * "cell"), seeded from the run's seed, each input one mutation of the
 * target's known-good input. Properties never fail while counting, so one
 * bad input does not hide the next; a failing input is then replayed by
 * its index (fast-check's `path`) and shrunk to a minimal one.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import {
  badBody,
  CANONICAL_BODIES,
  CANONICAL_KEYS,
  CANONICAL_VALUES,
} from './canonical';
import {
  CLASSES,
  deepNesting,
  describeHostile,
  HostileClass,
  KEY_ARBITRARIES,
  nested,
  VALUE_ARBITRARIES,
} from './hostile';
import { formatPath, Mutation, Place } from './mutate';
import { FailureKind, failureOf, Outcome, Tally } from './outcome';

/** Something the fuzzer feeds: a REST route, a scaffolder action, a kind, a config parser. */
export interface Target {
  id: string;
  surface: 'rest' | 'scaffolder' | 'kinds' | 'config';
  /** Fields a value may replace. */
  valuePlaces: Place[];
  /** Objects a key may be added to. */
  keyPlaces: Place[];
  /** Whether whole bodies are sent (REST POST). */
  badBody: boolean;
  /** Random inputs per class, after the canonical ones. */
  runs: number;
  /** At most this many canonical inputs per class (each canonical value at each field). */
  exampleCap: number;
  /** The deepest nesting to send, when less than the default 3,000 levels. */
  maxNesting?: number;
  /** The known-good value at a field (so a wrong type is another type). */
  valueAt(place: Place): unknown;
  run(m: Mutation): Promise<Outcome>;
  describe(m: Mutation): string;
}

/** A 32-bit seed for one cell, from the run's seed. */
export function cellSeed(seed: number, target: string, cls: string): number {
  return crypto
    .createHash('sha256')
    .update(`${seed}:${target}:${cls}`)
    .digest()
    .readInt32LE(0);
}

/** `null`, `array`, or what typeof says. */
export function jsonType(x: unknown): string {
  if (x === null) return 'null';
  return Array.isArray(x) ? 'array' : typeof x;
}

/** A wrong type is another type than the known-good value's. */
const fits = (t: Target, cls: HostileClass, place: Place, value: unknown) =>
  cls !== 'wrong-type' || jsonType(value) !== jsonType(t.valueAt(place));

/** The mutations of a target for a class, or undefined when none apply. */
export function mutationArb(
  t: Target,
  cls: HostileClass,
): fc.Arbitrary<Mutation> | undefined {
  if (cls === 'bad-body') {
    return t.badBody
      ? badBody.map(body => ({ kind: 'body' as const, cls, body }))
      : undefined;
  }
  const arbs: Array<fc.Arbitrary<Mutation>> = [];
  const values =
    cls === 'deep-nesting' && t.maxNesting
      ? deepNesting(t.maxNesting)
      : VALUE_ARBITRARIES[cls];
  if (values && t.valuePlaces.length) {
    arbs.push(
      fc
        .record({ place: fc.constantFrom(...t.valuePlaces), hostile: values })
        .filter(({ place, hostile }) => fits(t, cls, place, hostile.value))
        .map(({ place, hostile }) => ({
          kind: 'value' as const,
          cls,
          place,
          hostile,
        })),
    );
  }
  const keys = KEY_ARBITRARIES[cls];
  if (keys && t.keyPlaces.length) {
    arbs.push(
      fc
        .record({ place: fc.constantFrom(...t.keyPlaces), key: keys })
        .map(({ place, key }) => ({ kind: 'key' as const, cls, place, key })),
    );
  }
  return arbs.length ? fc.oneof(...arbs) : undefined;
}

/**
 * The canonical inputs of a class, tried before the random ones: each
 * canonical value at each field (and each canonical key in each object),
 * breadth first — every field gets the first value before any gets the
 * second — up to the target's cap.
 */
export function canonicalMutations(t: Target, cls: HostileClass): Mutation[] {
  if (cls === 'bad-body') {
    return t.badBody
      ? CANONICAL_BODIES.map(body => ({ kind: 'body' as const, cls, body }))
      : [];
  }
  const out: Mutation[] = [];
  const canonical =
    cls === 'deep-nesting' && t.maxNesting
      ? [{ value: nested(t.maxNesting, 1, false) }]
      : CANONICAL_VALUES[cls] ?? [];
  for (const hostile of canonical) {
    for (const place of t.valuePlaces) {
      if (fits(t, cls, place, hostile.value)) {
        out.push({ kind: 'value', cls, place, hostile });
      }
    }
  }
  for (const key of CANONICAL_KEYS[cls] ?? []) {
    for (const place of t.keyPlaces) out.push({ kind: 'key', cls, place, key });
  }
  return out.slice(0, t.exampleCap);
}

/** `body.replicas.min = 1e309 [non-finite]` */
export function describeMutation(m: Mutation): string {
  if (m.kind === 'body') return `whole body: ${m.body.label} [${m.cls}]`;
  const where = (p: Place) =>
    `${p.where}${p.path.length ? `.${formatPath(p.path)}` : ''}`;
  if (m.kind === 'value') {
    return `${where(m.place)} = ${describeHostile(m.hostile)} [${m.cls}]`;
  }
  return `${where(m.place)} + key ${JSON.stringify(
    m.key.key,
  )}: ${describeHostile(m.key.value)} [${m.cls}]`;
}

/** `→ 500 "message"` */
export function describeOutcome(o: Outcome): string {
  const msg = (o.message ?? '').replace(/\s+/g, ' ').slice(0, 220);
  return `→ ${o.status ?? o.verdict}${msg ? ` ${JSON.stringify(msg)}` : ''}${
    o.unsafe ? ` UNSAFE: ${o.unsafe}` : ''
  }`;
}

/** The canonical inputs of a class at a target, or its random ones. */
export type Pass = 'canonical' | 'random';

/** One property: a target, a class and a pass. */
export interface Cell {
  t: Target;
  cls: HostileClass;
  pass: Pass;
}

/** The cells of targets: every canonical cell first, then every random one. */
export function cellsOf(targets: Target[]): Cell[] {
  const out: Cell[] = [];
  for (const pass of ['canonical', 'random'] as const) {
    for (const t of targets) {
      for (const cls of CLASSES) {
        if (!mutationArb(t, cls)) continue;
        if (pass === 'canonical' ? canonicalMutations(t, cls).length : t.runs) {
          out.push({ t, cls, pass });
        }
      }
    }
  }
  return out;
}

/** fast-check's options for a cell (the same when a failing input is replayed). */
function cellOptions(c: Cell, seed: number) {
  const examples = c.pass === 'canonical' ? canonicalMutations(c.t, c.cls) : [];
  return {
    seed: cellSeed(seed, c.t.id, `${c.cls}:${c.pass}`),
    numRuns: c.pass === 'canonical' ? examples.length : c.t.runs,
    examples: examples.map(m => [m] as [Mutation]),
  };
}

/** What stopped or broke a cell, for the report. */
export interface CellProblem {
  cell: Cell;
  what: 'out-of-time' | 'harness';
  detail: string;
}

/** Runs one cell until `deadline`; returns what stopped or broke it. */
export async function runCell(
  c: Cell,
  seed: number,
  tally: Tally,
  deadline: number,
): Promise<CellProblem | undefined> {
  const left = deadline - Date.now();
  if (left <= 0) return { cell: c, what: 'out-of-time', detail: 'not run' };
  let index = 0;
  const r = await fc.check(
    fc.asyncProperty(mutationArb(c.t, c.cls)!, async m => {
      const i = index++;
      const o = await c.t.run(m);
      tally.record(
        c.t.surface,
        c.t.id,
        c.cls,
        { pass: c.pass, index: i },
        o,
        () => `${c.t.describe(m)} ${describeOutcome(o)}`,
      );
      return true;
    }),
    { ...cellOptions(c, seed), interruptAfterTimeLimit: left },
  );
  if (r.failed) {
    return {
      cell: c,
      what: 'harness',
      detail: `the harness threw: ${
        (r as any).errorInstance ?? (r as any).error
      }`,
    };
  }
  if (r.interrupted) {
    return {
      cell: c,
      what: 'out-of-time',
      detail: `stopped after ${index} inputs`,
    };
  }
  return undefined;
}

/** A shrunk failing input. */
export interface Minimal {
  input: string;
  outcome: Outcome;
  shrinks: number;
}

/** Replays the failing input at `index` of a cell and shrinks it, for at most `budgetMs`. */
export async function minimize(
  c: Cell,
  seed: number,
  index: number,
  kind: FailureKind,
  budgetMs: number,
): Promise<Minimal | undefined> {
  let last: Minimal | undefined;
  const r = await fc.check(
    fc.asyncProperty(mutationArb(c.t, c.cls)!, async m => {
      const o = await c.t.run(m);
      const failing = failureOf(o) === kind;
      if (failing) last = { input: c.t.describe(m), outcome: o, shrinks: 0 };
      return !failing;
    }),
    {
      ...cellOptions(c, seed),
      path: String(index),
      interruptAfterTimeLimit: budgetMs,
    },
  );
  if (!r.failed || !last) return undefined;
  return { ...last, shrinks: r.numShrinks };
}
