import {
  ChainAction,
  LedgerSample,
  ledgerOfModelDay,
  preStateReplicaPrice,
} from './counterfactual';

const DAY = Date.parse('2026-11-29T00:00:00Z');
const H = 3_600_000;
const W1 = 'c1/chat/Deployment/llama';
const W2 = 'c2/chat/Deployment/llama';
// USD per GPU unit-hour: an on-demand pool X and a cheaper pool Y.
const PRICES: Record<string, number> = { X: 2, Y: 0.5 };
const unitPrice = (pool: string): number | undefined => PRICES[pool];

/** Hourly samples of a workload over [from, to) hours of the day. */
function hours(
  workload: string,
  pool: string,
  from: number,
  to: number,
  replicas: number,
): LedgerSample[] {
  const out: LedgerSample[] = [];
  for (let h = from; h < to; h++) {
    out.push({
      workload,
      sampledAt: DAY + h * H,
      seconds: 3600,
      poolRef: pool,
      replicas,
      unitsPerReplica: 1,
    });
  }
  return out;
}

const migrate = (
  id: string,
  finishedHour: number,
  pre: ChainAction['pre'],
): ChainAction => ({
  id,
  kind: 'migrate',
  startedAt: DAY + finishedHour * H - 600_000,
  finishedAt: DAY + finishedHour * H,
  pre,
});

const scale = (
  id: string,
  finishedHour: number,
  pool: string,
  from: number,
  to: number,
): ChainAction => ({
  id,
  kind: 'scale',
  startedAt: DAY + finishedHour * H - 300_000,
  finishedAt: DAY + finishedHour * H,
  pre: [{ workload: W1, poolRef: pool, replicas: from, unitsPerReplica: 1 }],
  scale: { workload: W1, replicas: to },
});

const run = (samples: LedgerSample[], actions: ChainAction[]) => {
  const { lines, unknown } = ledgerOfModelDay({
    dayStart: DAY,
    dayEnd: DAY + 24 * H,
    samples,
    actions,
    unitPrice,
  });
  expect(unknown).toEqual([]);
  return new Map(lines.map(l => [l.actionId, l]));
};

describe('ledgerOfModelDay', () => {
  it('prices a move: the replica-hours after it at the pool it left', () => {
    const lines = run(
      [...hours(W1, 'X', 0, 6, 3), ...hours(W1, 'Y', 6, 24, 3)],
      [
        migrate('m', 6, [
          { workload: W1, poolRef: 'X', replicas: 3, unitsPerReplica: 1 },
        ]),
      ],
    );
    // 18 h × 3 replicas: $0.50 now, $2 before.
    expect(lines.get('m')).toEqual({
      actionId: 'm',
      hours: 18,
      afterUsd: 27,
      savedUsd: 81,
      beforeUsd: 108,
      poolRef: 'Y',
    });
  });

  it('prices a scale while its replicas hold, and not after someone changed them', () => {
    const lines = run(
      [
        ...hours(W1, 'X', 0, 12, 3),
        ...hours(W1, 'X', 12, 18, 2),
        ...hours(W1, 'X', 18, 24, 4),
      ],
      [scale('s', 12, 'X', 3, 2)],
    );
    // 6 h at 2 replicas instead of 3 at $2: $12 saved, $24 paid.
    expect(lines.get('s')).toMatchObject({
      hours: 6,
      afterUsd: 24,
      savedUsd: 12,
      beforeUsd: 36,
    });
  });

  it('telescopes a chain: a scale, then a move', () => {
    const lines = run(
      [
        ...hours(W1, 'X', 0, 6, 3),
        ...hours(W1, 'X', 6, 12, 2),
        ...hours(W1, 'Y', 12, 24, 2),
      ],
      [
        scale('s', 6, 'X', 3, 2),
        migrate('m', 12, [
          { workload: W1, poolRef: 'X', replicas: 2, unitsPerReplica: 1 },
        ]),
      ],
    );
    // 6–12: one replica fewer on X ($12). 12–24: without both, 3 on X
    // ($72); without the move, 2 on X ($48); as it ran, 2 on Y ($12).
    expect(lines.get('s')).toMatchObject({ hours: 18, savedUsd: 12 + 24 });
    expect(lines.get('m')).toMatchObject({
      hours: 12,
      afterUsd: 12,
      savedUsd: 36,
    });
    // Σ saved = cost without any action − actual cost, after the first.
    const without = 6 * 3 * 2 + 12 * 3 * 2;
    const actual = 6 * 2 * 2 + 12 * 2 * 0.5;
    expect(lines.get('s')!.savedUsd + lines.get('m')!.savedUsd).toBeCloseTo(
      without - actual,
      9,
    );
  });

  it('sums a move there and back to nothing, across clusters', () => {
    const there = migrate('there', -20, [
      { workload: W1, poolRef: 'X', replicas: 3, unitsPerReplica: 1 },
    ]);
    const back = migrate('back', -10, [
      { workload: W1, poolRef: 'X', replicas: 0, unitsPerReplica: 1 },
      { workload: W2, poolRef: 'Y', replicas: 3, unitsPerReplica: 1 },
    ]);
    const lines = run(
      // Back on X; the other cluster's copy parked at zero.
      [...hours(W1, 'X', 0, 24, 3), ...hours(W2, 'Y', 0, 24, 0)],
      [back, there],
    );
    expect(lines.get('there')!.savedUsd).toBeCloseTo(24 * 3 * 1.5, 9);
    expect(lines.get('back')!.savedUsd).toBeCloseTo(-24 * 3 * 1.5, 9);
    expect(
      lines.get('there')!.savedUsd + lines.get('back')!.savedUsd,
    ).toBeCloseTo(0, 9);
    expect(lines.get('back')).toMatchObject({ hours: 24, afterUsd: 144 });
  });

  it('leaves the replica at zero to hibernation after a scale to zero', () => {
    const lines = run(
      [...hours(W1, 'X', 0, 12, 2), ...hours(W1, 'X', 12, 24, 0)],
      [scale('s', 12, 'X', 2, 0)],
    );
    // Two replicas not held for 12 h at $2, less the one hibernation counts.
    expect(lines.get('s')).toMatchObject({
      hours: 12,
      afterUsd: 0,
      savedUsd: 24,
    });
  });

  it('counts an action only once it has finished, and names those it cannot price', () => {
    const { lines, unknown } = ledgerOfModelDay({
      dayStart: DAY,
      dayEnd: DAY + 24 * H,
      samples: hours(W1, 'Y', 0, 24, 1),
      actions: [
        migrate('late', 30, [
          { workload: W1, poolRef: 'X', replicas: 1, unitsPerReplica: 1 },
        ]),
        migrate('blind', 1, []),
        // Z has no price that day.
        migrate('unpriced', 1, [
          { workload: W1, poolRef: 'Z', replicas: 1, unitsPerReplica: 1 },
        ]),
      ],
      unitPrice,
    });
    expect(lines).toEqual([]);
    expect(unknown).toEqual(['blind', 'unpriced']);
  });

  it("prices a pre-state at its replicas' mean price, or its workloads' when at zero", () => {
    const pre = [
      { workload: W1, poolRef: 'X', replicas: 1, unitsPerReplica: 2 },
      { workload: W2, poolRef: 'Y', replicas: 3, unitsPerReplica: 1 },
    ];
    expect(preStateReplicaPrice(pre, unitPrice)).toBeCloseTo(
      (1 * 4 + 3 * 0.5) / 4,
      9,
    );
    expect(
      preStateReplicaPrice(
        pre.map(w => ({ ...w, replicas: 0 })),
        unitPrice,
      ),
    ).toBeCloseTo((4 + 0.5) / 2, 9);
    expect(preStateReplicaPrice([], unitPrice)).toBeUndefined();
  });
});
