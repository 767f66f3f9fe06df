import { loadTraces } from './DemoFleet';
import { TraceReplay } from './replay';
import { batchTrace, parseAzureLlmTrace, parseTraceTimestamp } from './traces';

describe('traces', () => {
  const traces = loadTraces(`${__dirname}/../data`);

  it('reads the published request counts', () => {
    expect(traces['azure-code'].offsets).toHaveLength(8819);
    expect(traces['azure-conv'].offsets).toHaveLength(19366);
    const alibaba = traces['alibaba-gentd26'];
    // 87 base models over the whole 23 days; 74 appear in this first half.
    expect(alibaba.size).toBe(74);
    // 10,262 rows, of which 5 PENDING requests name no base model.
    expect(alibaba.skipped).toBe(5);
    expect(
      [...alibaba.values()].reduce((n, t) => n + t.offsets.length, 0),
    ).toBe(10257);
    expect(alibaba.get('M0002')!.offsets).toHaveLength(2801);
  });

  it('sorts requests and loops the Azure traces hourly and Alibaba over its 11.5 days', () => {
    const conv = traces['azure-conv'];
    expect(conv.periodSeconds).toBe(3600);
    for (let i = 1; i < conv.offsets.length; i++) {
      expect(conv.offsets[i]).toBeGreaterThanOrEqual(conv.offsets[i - 1]);
    }
    const period = traces['alibaba-gentd26'].get('M0002')!.periodSeconds;
    expect(period / 86400).toBeCloseTo(11.5, 0);
  });

  it('parses fractional timestamps as UTC', () => {
    expect(parseTraceTimestamp('2023-11-16 18:17:03.9799600', 2)).toBe(
      Date.UTC(2023, 10, 16, 18, 17, 3) + 979.96,
    );
  });

  it('names the row and field of bad input', () => {
    expect(() => parseTraceTimestamp('yesterday', 7)).toThrow(
      /row 7: timestamp 'yesterday'/,
    );
    expect(() =>
      parseAzureLlmTrace(
        'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03,abc,10\n',
      ),
    ).toThrow(/row 2: ContextTokens 'abc'/);
  });

  it('replays a batch job at the start of every period, aligned to the epoch', () => {
    const batch = {
      everySeconds: 1200,
      requests: 60,
      spacingSeconds: 2,
      execSeconds: 1.5,
    };
    const replay = new TraceReplay(batchTrace(batch), {
      share: 1,
      offsetSeconds: 0,
      seed: 1,
    });
    const t0 = 1_764_892_800; // a multiple of 1,200 s
    expect(replay.between(t0, t0 + 120)).toEqual({ count: 60, weight: 90 });
    expect(replay.between(t0 + 120, t0 + 1200).count).toBe(0);
    expect(replay.between(t0, t0 + 86400).count).toBe(72 * 60);
    expect(() => batchTrace({ ...batch, spacingSeconds: 30 })).toThrow(
      'a batch must end within its period',
    );
    expect(() => batchTrace({ ...batch, requests: 0 })).toThrow(
      'whole requests > 0',
    );
  });
});
