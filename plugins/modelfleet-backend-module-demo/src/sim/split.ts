/**
 * Splitting a model's requests over the clusters that serve it, each in
 * proportion to its weight (its Ready replicas), as Multi-Cluster Services
 * spreads a Service's clients over the endpoints of every cluster that
 * exports it.
 */
export class WeightedSplit<T> {
  /** Smooth weighted round-robin credit of each target, per key. */
  private readonly credits = new Map<string, Map<T, number>>();

  /**
   * `count` requests over `to`: each target its whole share of the count,
   * the remainder by smooth weighted round robin (nginx's), so that single
   * requests keep the proportion too. Targets with no request are left out.
   */
  split(
    key: string,
    to: ReadonlyArray<{ to: T; weight: number }>,
    count: number,
  ): Array<[T, number]> {
    if (to.length === 1) return [[to[0].to, count]];
    const total = to.reduce((s, d) => s + d.weight, 0);
    const shares = to.map(d => Math.floor((count * d.weight) / total));
    const credit = this.credits.get(key) ?? new Map<T, number>();
    this.credits.set(key, credit);
    let left = count - shares.reduce((a, b) => a + b, 0);
    for (; left > 0; left--) {
      let best = 0;
      to.forEach((d, i) => {
        credit.set(d.to, (credit.get(d.to) ?? 0) + d.weight);
        if (credit.get(d.to)! > credit.get(to[best].to)!) best = i;
      });
      credit.set(to[best].to, credit.get(to[best].to)! - total);
      shares[best] += 1;
    }
    return to
      .map((d, i): [T, number] => [d.to, shares[i]])
      .filter(([, n]) => n > 0);
  }
}

/**
 * The order in which requests go to targets with these shares: each
 * target's requests spread evenly over the sequence (the target's index
 * per request).
 */
export function interleave(shares: readonly number[]): number[] {
  return shares
    .flatMap((n, i) =>
      Array.from({ length: n }, (_, j) => ({ i, at: (j + 0.5) / n })),
    )
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(x => x.i);
}
