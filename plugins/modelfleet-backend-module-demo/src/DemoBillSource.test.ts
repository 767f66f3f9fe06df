import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { DemoBillSource } from './DemoBillSource';
import { createDemoFleet, loadTraces } from './DemoFleet';

const fleet = createDemoFleet(loadTraces(`${__dirname}/../data`));

async function collect(source: DemoBillSource, start: string, end: string) {
  const lines: BillLine[] = [];
  for await (const l of source.fetchLines({
    start: new Date(start),
    end: new Date(end),
  })) {
    lines.push(l);
  }
  return lines;
}

describe('DemoBillSource', () => {
  it('bills each running pool per day at its billed rate, complete days only', async () => {
    const source = new DemoBillSource(
      fleet,
      () => new Date('2026-11-24T12:00:00Z'),
    );
    const lines = await collect(
      source,
      '2026-11-22T00:00:00Z',
      '2026-11-26T00:00:00Z',
    );
    // The 24th is still running: only the 22nd and the 23rd are billed.
    expect([...new Set(lines.map(l => l.periodStart))]).toEqual([
      '2026-11-22T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    // g5-a10g keeps one node for its model and one idle: 48 node-hours a day.
    const a10g = lines.find(
      l =>
        l.resourceId === 'demo-aws-use1/g5-a10g' &&
        l.periodStart.startsWith('2026-11-23'),
    )!;
    expect(a10g).toMatchObject({
      source: 'demo-bills',
      provider: 'aws',
      account: '000000000000',
      periodEnd: '2026-11-24T00:00:00.000Z',
      usage: { quantity: 48, unit: 'node-hours' },
      costUsd: Math.round(48 * 1.1514 * 100) / 100,
    });
    // A pool scaled to zero is not billed; keys are unique per day.
    expect(lines.some(l => l.resourceId === 'demo-gcp-usc1/a3-h100')).toBe(
      false,
    );
    const keys = lines.map(
      l => `${l.account}|${l.periodStart}|${l.resourceId}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('bills the assistant pool less on a Saturday, when it runs fewer replicas', async () => {
    const source = new DemoBillSource(
      fleet,
      () => new Date('2026-12-01T00:00:00Z'),
    );
    const lines = await collect(
      source,
      '2026-11-27T00:00:00Z',
      '2026-11-29T00:00:00Z',
    );
    const day = (d: string) =>
      lines.find(
        l =>
          l.resourceId === 'demo-azure-eastus/nva10spot' &&
          l.periodStart.startsWith(d),
      )!.usage!.quantity;
    expect(day('2026-11-28')).toBeLessThan(day('2026-11-27'));
  });
});
