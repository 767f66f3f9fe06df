/* eslint-disable no-console */
/*
 * The end of a run: failing inputs shrunk to minimal ones (one per class
 * and kind of failure), and the report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLASSES, HostileClass } from './hostile';
import { FailureExample, FailureKind, Tally } from './outcome';
import { describeOutcome, minimize, Minimal, Target } from './runner';

/** A minimal counterexample of a class. */
export interface ClassMinimal {
  cls: HostileClass;
  kind: FailureKind;
  target: string;
  minimal?: Minimal;
  first: FailureExample;
}

const KINDS: FailureKind[] = ['server-error', 'unsafe', 'unnamed'];

/**
 * Shrinks the first failing input of each class and failure kind, within
 * `budgetMs` in all.
 */
export async function shrinkFailures(
  tally: Tally,
  targets: Target[],
  seed: number,
  budgetMs: number,
  log: (m: string) => void,
): Promise<ClassMinimal[]> {
  const out: ClassMinimal[] = [];
  const failures = [...tally.failures.values()];
  const isRest = (f: FailureExample) =>
    targets.find(t => t.id === f.target)?.surface === 'rest';
  const picks: FailureExample[] = [];
  for (const cls of CLASSES) {
    for (const kind of KINDS) {
      // Shrinkable (random) ones first, in-process before REST (quicker).
      const candidates = failures
        .filter(f => f.cls === cls && f.kind === kind)
        .sort(
          (a, b) =>
            Number(!a.randomAt) - Number(!b.randomAt) ||
            Number(isRest(a)) - Number(isRest(b)),
        );
      const pick = candidates[0];
      if (pick) picks.push(pick);
    }
  }
  if (!picks.length) return out;
  const end = Date.now() + budgetMs;
  log(
    `shrinking ${picks.length} failing inputs (one per class and kind of failure)`,
  );
  for (const [i, f] of picks.entries()) {
    const t = targets.find(x => x.id === f.target)!;
    const at = f.randomAt ?? f.at;
    const left = end - Date.now();
    const share = Math.min(8_000, left / (picks.length - i));
    const minimal =
      share > 300
        ? await minimize(
            { t, cls: f.cls, pass: at.pass },
            seed,
            at.index,
            f.kind,
            share,
          ).catch(() => undefined)
        : undefined;
    out.push({ cls: f.cls, kind: f.kind, target: f.target, minimal, first: f });
  }
  return out;
}

/** Prints the report; returns the exit code. */
export function printReport(r: {
  tally: Tally;
  checks: Array<{ name: string; pass: boolean; detail: string }>;
  notes: string[];
  minimal: ClassMinimal[];
  logDir: string;
}): number {
  const { tally, checks, notes, minimal } = r;
  console.log('\n== inputs by class and surface');
  for (const line of tally.table()) console.log(line);

  const failures = [...tally.failures.values()].sort(
    (a, b) =>
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
      CLASSES.indexOf(a.cls) - CLASSES.indexOf(b.cls) ||
      a.target.localeCompare(b.target),
  );
  if (failures.length) {
    console.log(
      '\n== failures: the first input per kind, class and route/action',
    );
    for (const f of failures) {
      console.log(`[${f.kind}] ${f.cls} · ${f.target} · ${f.count} input(s)`);
      console.log(`    ${f.input.slice(0, 600)}`);
    }
  }
  if (minimal.length) {
    console.log(
      '\n== minimal counterexamples (shrunk by fast-check), one per class and kind',
    );
    for (const m of minimal) {
      const body = m.minimal
        ? `${m.minimal.input.slice(0, 500)} ${describeOutcome(
            m.minimal.outcome,
          )} (${m.minimal.shrinks} shrinks)`
        : `${m.first.input.slice(
            0,
            500,
          )} (not shrunk: did not fail again or no time left)`;
      console.log(`[${m.kind}] ${m.cls} · ${m.target}\n    ${body}`);
    }
  }
  const unsafe = tally.total('unsafe');
  const inputs = tally.total('inputs');
  const all = [
    ...checks,
    {
      name: 'at least 10000 inputs',
      pass: inputs >= 10_000,
      detail: String(inputs),
    },
    {
      name: 'no hostile value accepted where it does harm',
      pass: unsafe === 0,
      detail: unsafe ? `${unsafe} input(s), see [unsafe] above` : 'none',
    },
  ];
  console.log('\n== checks');
  for (const c of all) {
    console.log(
      `${c.pass ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail.slice(0, 1500)}`,
    );
  }
  if (notes.length) {
    console.log('\n== notes');
    for (const n of notes.slice(0, 30)) console.log(n);
  }
  fs.mkdirSync(r.logDir, { recursive: true });
  fs.writeFileSync(
    path.join(r.logDir, 'failures.json'),
    `${JSON.stringify({ failures, minimal, checks: all }, null, 2)}\n`,
  );
  const serverErrors = tally.total('server-error');
  const unnamed = tally.total('unnamed');
  return serverErrors || unnamed || all.some(c => !c.pass) ? 1 : 0;
}
