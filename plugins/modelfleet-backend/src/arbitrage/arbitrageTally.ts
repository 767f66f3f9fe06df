/**
 * What the arbitrage loop's pass did, counted for its run record.
 *
 * @internal
 */
/** What became of one model in a pass. */
export type Outcome =
  | 'moved'
  | 'recommended'
  | 'off'
  | 'busy'
  | 'unpriced'
  | 'noMove'
  | 'withdrawn'
  | 'asked'
  | 'waits'
  | 'limited'
  | 'failed';

/** Outcomes that leave a model as it is, as the summary names them. */
const LEFT_AS_THEY_ARE: ReadonlyArray<readonly [Outcome, string]> = [
  ['off', 'off'],
  ['busy', 'with an action under way'],
  ['unpriced', 'not priced'],
  ['noMove', 'without a move that clears the policy'],
  ['asked', 'asked for today already'],
];

/** A pass's counts, with what the summary names. */
export class Tally {
  readonly counts = new Map<Outcome, number>();
  /** The daily limit of each team a move was held by. */
  readonly limits = new Map<string, number>();
  readonly problems: string[] = [];

  add(outcome: Outcome) {
    this.counts.set(outcome, this.of(outcome) + 1);
  }

  of(outcome: Outcome) {
    return this.counts.get(outcome) ?? 0;
  }

  summary(models: number): string {
    const left = LEFT_AS_THEY_ARE.filter(([o]) => this.of(o) > 0);
    const leftCount = left.reduce((n, [o]) => n + this.of(o), 0);
    const detail = left.map(([o, words]) => `${this.of(o)} ${words}`);
    const parts = [
      `${models} model(s): ${this.of('moved')} move(s) stored to run, ${this.of(
        'recommended',
      )} recommended for approval, ${leftCount} left as they are${
        detail.length ? ` (${detail.join(', ')})` : ''
      }`,
    ];
    if (this.of('waits')) {
      parts.push(`${this.of('waits')} wait for a maintenance window`);
    }
    if (this.of('limited')) {
      const teams = [...this.limits]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([team, max]) => `${team}: ${max} a day`)
        .join(', ');
      parts.push(
        `${this.of(
          'limited',
        )} held by their team's daily limit of moves (${teams})`,
      );
    }
    if (this.of('withdrawn')) {
      parts.push(
        `${this.of('withdrawn')} recommendation(s) awaiting approval withdrawn`,
      );
    }
    if (this.of('failed')) parts.push(`${this.of('failed')} failed`);
    return parts.join('; ');
  }
}
