import { rightsize } from '../engines/rightsizing';
import { CandidatePool, ModelSample } from '../engines/rightsizing/types';
import { PoolWords, rightsizingRecommendation } from './rightsizingFinding';

/** Hourly samples over 14 days: 8 GiB used, `util` %, `rps` requests a second. */
const samples = (util: number, rps: number): ModelSample[] =>
  Array.from({ length: 14 * 24 + 1 }, (_, i) => ({
    t: 1_700_006_400 + i * 3600,
    gpuMemoryUsedMiB: 8192,
    gpuUtilization: util,
    requestsPerSecond: rps,
  }));

const A100 = 'gpupool:default/c1.a100';
const current = {
  pool: A100,
  gpu: 'A100',
  memoryMiBPerReplica: 40960,
  gpusPerReplica: 1,
  replicas: 4,
  usdPerGpuHour: 3,
};
const model = {
  modelRef: 'model:default/reranker',
  teamRef: 'group:default/search-team',
  name: 'Search reranker',
  pool: A100,
  replicas: 4,
  gpusPerReplica: 1,
};
const SHARING: Record<string, 'whole' | 'mig'> = {
  [A100]: 'whole',
  'gpupool:default/c1.a100-mig': 'mig',
  'gpupool:default/c1.l4': 'whole',
};
const pools: PoolWords = {
  title: ref => `${ref.split('.').pop()} (c1)`,
  sharing: ref => SHARING[ref],
};
const l4: CandidatePool = {
  ref: 'gpupool:default/c1.l4',
  title: 'l4 (c1)',
  gpu: 'L4',
  gpuMemoryMiB: 23_034,
  usdPerGpuHour: 0.8,
  sharing: 'whole',
  relativeSpeed: 121 / 312,
};

const sized = (candidates: CandidatePool[], util = 10, rps = 4) =>
  rightsize({
    model: model.modelRef,
    current,
    samples: samples(util, rps),
    candidates,
  });

describe('rightsizingRecommendation', () => {
  it('applies fewer replicas of the same GPU as a Scale, in words', () => {
    // 4 replicas at 10 %, 4 req/s: one replica serves 7 req/s at 70 %.
    const result = sized([]);
    const f = rightsizingRecommendation(result, model, pools)!;
    expect(f).toMatchObject({
      kind: 'rightsizing',
      title: 'Run fewer replicas of Search reranker: 1 instead of 4',
      monthlySavingUsd: result.options[0].monthlySavingUsd,
      disruption: { level: 'restart', podsAffected: 3 },
      confidence: { level: 'high' },
      source: { type: 'rightsizing', option: 'fewer-replicas', replicas: 1 },
      applicable: { allowed: true },
    });
    expect(Math.round(f.monthlySavingUsd)).toBe(3 * 3 * 730);
    expect(f.evidence[0]).toMatch(/peak 8\.0 GiB/);
  });

  it('applies a smaller GPU on another pool as a move, and names pools by title', () => {
    // At 20 % an L4 (0.39 of an A100) serves with 3 replicas, one GPU
    // each: $1,752 instead of $8,760 a month (2 A100s would cost $4,380).
    const f = rightsizingRecommendation(sized([l4], 20, 8), model, pools)!;
    expect(f).toMatchObject({
      title: 'Move Search reranker to a smaller GPU: L4 on l4 (c1)',
      subject: { poolRef: l4.ref },
      source: { option: 'smaller-gpu', pool: l4.ref, gpusPerReplica: 1 },
      disruption: {
        level: 'move',
        podsAffected: 4,
        description:
          'make before break: its 4 replicas start on l4 (c1) and become ready before the old ones stop',
      },
      applicable: { allowed: true },
    });
    expect(f.source).toMatchObject({ replicas: 3 });
    expect(Math.round(f.monthlySavingUsd)).toBe(8760 - 1752);
    expect([f.title, ...f.evidence].join(' ')).not.toMatch(/gpupool:|model:/);
    expect(f.evidence[0]).toMatch(/3 replicas on l4 \(c1\) serve/);
    expect(f.evidence).toContain(
      'The move keeps its 4 replicas; once it runs on l4 (c1), fewer replicas (3) is the next recommendation.',
    );
  });

  it('says what to do instead when a move cannot apply the smaller GPU', () => {
    // More L4 replicas than run now: a move keeps the replicas.
    const busier = rightsizingRecommendation(
      sized([{ ...l4, usdPerGpuHour: 0.3 }], 60, 24),
      model,
      pools,
    )!;
    expect(busier.source).toMatchObject({ option: 'smaller-gpu' });
    expect((busier.source as { replicas: number }).replicas).toBeGreaterThan(4);
    expect(busier.applicable).toEqual({
      allowed: false,
      reason: expect.stringMatching(
        /^On L4 it needs \d+ replicas for its p95 traffic where it runs 4 now, and a move keeps its replicas: scale it to \d+ on its Model page first, then apply this again$/,
      ),
    });
    // Two GPUs per replica where the model asks for one.
    const big = rightsizingRecommendation(
      sized([{ ...l4, gpuMemoryMiB: 6000, usdPerGpuHour: 0.1 }]),
      model,
      pools,
    )!;
    expect(big.source).toMatchObject({ option: 'smaller-gpu' });
    expect(big.applicable.allowed).toBe(false);
    expect(big.applicable.reason).toMatch(
      /^On l4 \(c1\) a replica needs 2 × L4 where it asks for 1 GPU now, and a move keeps its GPU request: set spec.gpu.count to 2 in its Model and deploy it again on l4 \(c1\)$/,
    );
  });

  it('recommends a GPU share, applicable as a move for a replica that asks for one GPU (one slice there), and lists the other options', () => {
    const mig: CandidatePool = {
      ref: 'gpupool:default/c1.a100-mig',
      title: 'a100-mig (c1)',
      gpu: 'A100',
      gpuMemoryMiB: 40960,
      usdPerGpuHour: 3,
      sharing: 'mig',
      replicasPerGpu: 3,
    };
    const result = sized([mig]);
    const f = rightsizingRecommendation(result, model, pools)!;
    expect(f.source).toMatchObject({ option: 'gpu-share', pool: mig.ref });
    expect(f.title).toBe(
      'Serve Search reranker from a MIG slice of A100 on a100-mig (c1)',
    );
    expect(f.applicable).toEqual({ allowed: true });
    // A replica that asks for two GPUs is not one slice: deployed again.
    const two = rightsizingRecommendation(
      result,
      { ...model, gpusPerReplica: 2 },
      pools,
    )!;
    expect(two.applicable.allowed).toBe(false);
    expect(two.applicable.reason).toMatch(
      /^A MIG slice of A100 on a100-mig \(c1\) is asked for as a slice of a GPU .*deploy it again on a100-mig \(c1\) with the Deploy a model template/,
    );
    expect(f.evidence.join(' ')).toMatch(
      /Other options: 1 replica on a100 \(c1\) \(saves \$6,570 a month\)/,
    );
    expect(
      rightsizingRecommendation({ ...result, options: [] }, model, pools),
    ).toBe(undefined);
  });
});
