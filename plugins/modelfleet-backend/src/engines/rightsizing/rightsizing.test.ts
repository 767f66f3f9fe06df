import { rightsize } from './rightsizing';
import { CandidatePool, ModelSample, RightsizingInput } from './types';

const HOUR = 3600;

/** Hourly samples over `days` days. */
function samples(
  days: number,
  f: (i: number) => Partial<ModelSample> = () => ({}),
): ModelSample[] {
  return Array.from({ length: days * 24 + 1 }, (_, i) => ({
    t: 1_700_006_400 + i * HOUR,
    gpuMemoryUsedMiB: 8192,
    gpuUtilization: 10,
    requestsPerSecond: 2,
    ...f(i),
  }));
}

const t4: CandidatePool = {
  ref: 't4-pool',
  gpu: 'T4',
  gpuMemoryMiB: 15360,
  usdPerGpuHour: 0.5,
  sharing: 'whole',
  relativeSpeed: 0.25,
};
const mig3: CandidatePool = {
  ref: 'a100-mig-3g',
  gpu: 'A100',
  gpuMemoryMiB: 40960,
  usdPerGpuHour: 3,
  sharing: 'mig',
  replicasPerGpu: 3,
};
const mig7: CandidatePool = { ...mig3, ref: 'a100-mig-1g', replicasPerGpu: 7 };

/**
 * An A100 model on 2 whole GPUs at $3/GPU-hour ($4,380 a month): peak
 * 9,000 MiB, 10 % utilization serving 2 req/s — one replica serves 1 req/s
 * at 10 %, so 7 req/s at 70 %.
 */
const reranker = (over: Partial<RightsizingInput> = {}): RightsizingInput => ({
  model: 'component:default/reranker',
  current: {
    pool: 'a100-pool',
    gpu: 'A100',
    memoryMiBPerReplica: 40960,
    gpusPerReplica: 1,
    replicas: 2,
    usdPerGpuHour: 3,
  },
  estimateMiB: 7000,
  samples: samples(14, i => (i === 100 ? { gpuMemoryUsedMiB: 9000 } : {})),
  candidates: [t4, mig3, mig7],
  ...over,
});

describe('rightsize', () => {
  it('prices the options worked out by hand, largest saving first', () => {
    const r = rightsize(reranker());
    expect(r.usage.peakMemoryMiB).toBe(9000);
    expect(r.usage.p95Rps).toBe(2);
    expect(r.usage.perReplicaRps).toBeCloseTo(7);
    expect(
      r.options.map(o => [o.kind, o.pool, o.replicas, o.monthlySavingUsd]),
    ).toEqual([
      // T4: 1 GPU (15 GiB ≥ 10.5 GiB), a quarter of the speed: 1.75 req/s
      // per replica, 2 replicas; 2 × $0.5 × 730 = $730.
      ['smaller-gpu', 't4-pool', 2, 3650],
      // A third of an A100 (13.3 GiB): 2.33 req/s, 1 replica; ⅓ × $3 × 730.
      ['gpu-share', 'a100-mig-3g', 1, 3650],
      // The same GPU: 1 replica serves 7 req/s ≥ 2; $2,190.
      ['fewer-replicas', 'a100-pool', 1, 2190],
    ]);
    const [first] = r.options;
    expect(first.memoryNeedMiB).toBeCloseTo(10800);
    expect(first.monthlyUsdBefore).toBe(4380);
    expect(first.evidence).toContain('peak 8.8 GiB');
    expect(first.evidence).toContain('p95 2.0 req/s');
    expect(first.evidence).toContain(
      'one replica of A100 serves up to 7.0 req/s at 70 % utilization',
    );
    expect(first.confidence.level).toBe('high');
  });

  it('never fits a replica into less memory than max(estimate, peak) plus headroom', () => {
    // The estimate (12,000 MiB) beats the peak: 14,400 MiB needed, more than
    // a third of an A100.
    const r = rightsize(reranker({ estimateMiB: 12000 }));
    expect(r.options.map(o => o.pool)).not.toContain('a100-mig-3g');
    for (const o of r.options) {
      expect(o.memoryOfferMiB).toBeGreaterThanOrEqual(o.memoryNeedMiB);
      expect(o.memoryNeedMiB).toBeCloseTo(14400);
    }
    // No headroom: 12,000 MiB fits a third of an A100.
    expect(
      rightsize(reranker({ estimateMiB: 12000 }), { headroom: 0 }).options.map(
        o => o.pool,
      ),
    ).toContain('a100-mig-3g');
  });

  it('never goes below what the p95 traffic needs', () => {
    // 14 req/s at 70 %: one replica serves 7 req/s at 70 %, so 2 are needed.
    const busy = reranker({
      samples: samples(14, () => ({
        gpuUtilization: 70,
        requestsPerSecond: 14,
      })),
    });
    const r = rightsize(busy);
    expect(r.options.find(o => o.kind === 'fewer-replicas')).toBeUndefined();
    // A T4 serves 1.75 req/s: 8 replicas (8 × $0.5 × 730 = $2,920).
    expect(r.options.find(o => o.pool === 't4-pool')).toMatchObject({
      replicas: 8,
      monthlySavingUsd: 1460,
    });
    // A third of an A100 serves 2.33 req/s: 6 replicas cost what 2 GPUs do.
    expect(r.options.find(o => o.pool === 'a100-mig-3g')).toBeUndefined();
    for (const o of r.options) {
      expect(o.capacityRps).toBeGreaterThanOrEqual(r.usage.p95Rps - 1e-9);
    }
  });

  it('sizes by the compute in use when no sample is busy enough to measure a replica', () => {
    const idle = reranker({
      samples: samples(14, () => ({ gpuUtilization: 1, requestsPerSecond: 0 })),
    });
    const r = rightsize(idle);
    const same = r.options.find(o => o.pool === 'a100-pool')!;
    expect(same.replicas).toBe(1);
    expect(same.evidence).toContain('too low to measure');
  });

  it('says how sure it is from the days and the steadiness of the traffic', () => {
    expect(rightsize(reranker()).options[0].confidence).toMatchObject({
      level: 'high',
      variation: 0,
    });
    const short = rightsize(reranker({ samples: samples(3) }));
    expect(short.options[0].confidence.level).toBe('low');
    expect(short.options[0].confidence.reason).toContain('under a week');
    const unsteady = rightsize(
      reranker({
        samples: samples(14, i => ({
          requestsPerSecond: Math.floor(i / 24) % 2 ? 0.2 : 2,
        })),
      }),
    );
    expect(unsteady.options[0].confidence.level).toBe('low');
  });

  it('names the bad field', () => {
    const bad = reranker();
    bad.samples[1] = { ...bad.samples[1], gpuUtilization: 150 };
    expect(() => rightsize(bad)).toThrow(/samples\[1\]\.gpuUtilization/);
    expect(() =>
      rightsize(
        reranker({ candidates: [{ ...mig3, replicasPerGpu: undefined }] }),
      ),
    ).toThrow(/candidates\[0\]\.replicasPerGpu/);
    expect(() => rightsize(reranker({ samples: [] }))).toThrow(/samples must/);
    expect(() => rightsize(reranker(), { headroom: -1 })).toThrow(/headroom/);
    expect(() =>
      rightsize(reranker({ current: { ...reranker().current, replicas: 0 } })),
    ).toThrow(/current\.replicas/);
  });
});
