import { CostBreakdownItem } from '@modelfleet/plugin-modelfleet-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { ShowbackStore } from '../database/ShowbackStore';
import { addDays, allocateDay, eachDay } from '../engines/showback';
import { CostIndex } from './CostIndex';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const FIRST = '2026-09-01';
const POOLS = ['a', 'b', 'c'].map(p => `gpupool:default/c1.${p}`);

/** A day of roll-ups: 12 models of 3 teams on 3 pools, some days demo. */
function rowsOf(day: string, seed = 0) {
  const n = Number(day.slice(8, 10)) + seed;
  return allocateDay({
    day,
    idleCostPolicy: 'shared-proportionally',
    pools: POOLS.map((poolRef, i) => ({
      poolRef,
      capacityType: i === 2 ? 'spot' : 'on-demand',
      nodeHours: 24 * (2 + ((n + i) % 3)),
      gpuHours: 24 * (2 + ((n + i) % 3)),
      unitHours: 24 * (2 + ((n + i) % 3)),
      usdPerNodeHour: 1 + i + (n % 5) / 10,
      provenance: [
        {
          kind: 'price',
          source: 'bundled-catalog',
          observedAt: `2026-0${1 + (n % 3)}-01T00:00:00.000Z`,
          subject: `aws ${poolRef} us-east-1`,
          usdPerHour: 1 + i,
        },
      ],
      demo: i === 1 && n % 4 === 0,
    })),
    workloads: Array.from({ length: 12 }, (_, m) => ({
      modelRef: `model:default/m${m}`,
      teamRef: `group:default/t${m % 3}`,
      // Model 0 moves between pools; model 11 stops on some days; models
      // 4 and 7 are at zero for some hours of some days.
      poolRef: POOLS[m === 0 ? n % 3 : m % 3],
      unitHours: m === 11 && n % 5 === 0 ? 0 : 6 + ((m * n) % 17),
      savedUnitHours: m === 4 || m === 7 ? (m * n) % 9 : 0,
    })),
  }).rows.filter(r => !(r.entityRef === 'model:default/m11' && n % 5 === 0));
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const round = (items: CostBreakdownItem[]) =>
  items.map(i => ({
    entityRef: i.entityRef,
    costUsd: r6(i.costUsd),
    idleUsd: r6(i.idleUsd),
    gpuHours: r6(i.gpuHours),
    savedGpuHours: r6(i.savedGpuHours),
    savedUsd: r6(i.savedUsd),
  }));

const sortByRef = <T extends { entityRef: string }>(xs: T[]) =>
  [...xs].sort((a, b) => a.entityRef.localeCompare(b.entityRef));

/** Compares what the index answers with what SQL answers. */
async function expectSameAsSql(
  index: CostIndex,
  store: ShowbackStore,
  from: string,
  to: string,
) {
  await index.sync();
  expect(index.covers(from, to)).toBe(true);
  const queries = [
    { scope: 'model' as const },
    { scope: 'model' as const, limit: 5 },
    { scope: 'team' as const },
    { scope: 'pool' as const, limit: 2 },
    { scope: 'model' as const, teamRef: 'group:default/t1' },
    { scope: 'model' as const, teamRef: 'group:default/t1', by: 'pool_ref' },
    { scope: 'model' as const, poolRef: POOLS[0] },
    { scope: 'model' as const, entityRef: 'model:default/m0', by: 'pool_ref' },
  ] as const;
  for (const q of queries) {
    const held = index.breakdown({ ...q, from, to })!;
    const sql = await store.breakdown({ ...q, from, to });
    if ('limit' in q) {
      expect(round(held)).toEqual(round(sql));
    } else {
      expect(round(sortByRef(held))).toEqual(round(sortByRef(sql)));
      expect(held.map(i => i.costUsd)).toEqual(
        [...held.map(i => i.costUsd)].sort((a, b) => b - a),
      );
    }
  }
  for (const [scope, ref] of [
    ['model', 'model:default/m0'],
    ['model', 'model:default/m11'],
    ['team', 'group:default/t2'],
    ['pool', POOLS[1]],
    ['fleet', ''],
  ] as const) {
    const daily = index.daily(scope, ref, from, to)!;
    const sql = await store.daily(scope, ref, from, to);
    expect(daily.map(d => d.date)).toEqual(sql.map(d => d.date));
    daily.forEach((d, i) => {
      expect(d.costUsd).toBeCloseTo(sql[i].costUsd, 9);
      expect(d.idleUsd).toBeCloseTo(sql[i].idleUsd, 9);
      expect(d.gpuHours).toBeCloseTo(sql[i].gpuHours, 9);
      expect(d.savedGpuHours).toBeCloseTo(sql[i].savedGpuHours, 9);
      expect(d.savedUsd).toBeCloseTo(sql[i].savedUsd, 9);
    });
    expect(index.isDemo(scope, ref, from, to)).toBe(
      await store.isDemo(scope, ref, from, to),
    );
    const key = (p: { source: string; subject: string; observedAt: string }) =>
      `${p.source}|${p.subject}|${p.observedAt}`;
    expect(index.provenance(scope, ref, from, to)!.map(key).sort()).toEqual(
      (await store.provenance(scope, ref, from, to)).map(key).sort(),
    );
  }
}

describe('CostIndex', () => {
  it.each(databases.eachSupportedId())(
    'answers like SQL, and follows replaced and removed days, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseModelFleetStore.fromKnex(knex);
      const store = new ShowbackStore(knex);
      const days = eachDay(FIRST, addDays(FIRST, 75));
      for (const day of days) await store.replaceDay(day, rowsOf(day));

      const index = new CostIndex(store);
      const other = new CostIndex(store); // another backend replica
      for (const [from, to] of [
        [FIRST, addDays(FIRST, 75)],
        ['2026-09-03', '2026-09-04'],
        ['2026-09-05', '2026-10-17'],
        ['2026-10-01', '2026-11-30'],
        ['2026-08-01', '2026-09-02'],
      ]) {
        await expectSameAsSql(index, store, from, to);
      }
      // The savings compared are not all 0: t1's models 4 and 7 have some.
      const teams = index.breakdown({
        scope: 'team',
        from: FIRST,
        to: addDays(FIRST, 75),
      })!;
      expect(
        teams.find(t => t.entityRef === 'group:default/t1')!.savedUsd,
      ).toBeGreaterThan(0);
      await other.sync();

      // A day replaced with other figures, one emptied, one added at the end.
      await store.replaceDay('2026-09-20', rowsOf('2026-09-20', 3));
      await store.replaceDay('2026-10-02', []);
      await store.replaceDay(addDays(FIRST, 75), rowsOf(addDays(FIRST, 75)));
      for (const i of [index, other]) {
        await expectSameAsSql(i, store, '2026-09-05', '2026-11-30');
        await expectSameAsSql(i, store, '2026-10-02', '2026-10-03');
      }
      expect(
        index.breakdown({
          scope: 'team',
          from: '2026-10-02',
          to: '2026-10-03',
        }),
      ).toEqual([]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'holds the window asked for, and reads nothing older, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseModelFleetStore.fromKnex(knex);
      const store = new ShowbackStore(knex);
      for (const day of eachDay(FIRST, addDays(FIRST, 40))) {
        await store.replaceDay(day, rowsOf(day));
      }
      const index = new CostIndex(store, { windowDays: 10 });
      await index.sync();
      const last = addDays(FIRST, 39);
      expect(index.covers(addDays(last, -9), addDays(last, 1))).toBe(true);
      expect(index.covers(addDays(last, -10), addDays(last, 1))).toBe(false);
      expect(
        index.breakdown({ scope: 'team', from: FIRST, to: last }),
      ).toBeUndefined();
      await expectSameAsSql(index, store, addDays(last, -9), addDays(last, 1));

      // Too many rows for the cap: fewer days are held.
      const small = new CostIndex(store, { maxRows: 3 * rowsOf(last).length });
      await small.sync();
      expect(small.covers(addDays(last, -2), addDays(last, 1))).toBe(true);
      expect(small.covers(addDays(last, -3), addDays(last, 1))).toBe(false);
      expect(small.stats().series).toBeGreaterThan(0);
      await knex.destroy();
    },
  );

  it('shares a read of the version among concurrent requests, but not across a day replaced here', async () => {
    let reads = 0;
    const store = {
      replacedDays: 0,
      rollupVersion: () => {
        reads += 1;
        return new Promise<string>(r => setImmediate(() => r('7')));
      },
      dayRange: async () => undefined,
    };
    const index = new CostIndex(store as unknown as ShowbackStore);
    await index.sync();
    reads = 0;
    await Promise.all([index.sync(), index.sync(), index.sync()]);
    expect(reads).toBe(1);

    reads = 0;
    const before = index.sync();
    store.replacedDays += 1;
    const after = index.sync();
    await Promise.all([before, after]);
    expect(reads).toBe(2);
  });
});
