/*
 * Rightsizing of one model (pure): from its samples (14 days of GPU memory,
 * utilization and request rate), the options that serve it for less —
 * fewer replicas, fewer GPUs per replica, a smaller GPU type, or a MIG /
 * time-sliced share of a GPU — each priced, proven to fit and sized for its
 * p95 traffic:
 *
 * - memory: need = max(estimate, observed peak) × (1 + headroom), and a
 *   replica on the target must offer at least that (whole GPUs: the fewest
 *   whose memory covers it; a share: one MIG slice or time-slice, memory of
 *   the GPU ÷ replicas per GPU);
 * - traffic: one replica now serves `perReplicaRps` at the target
 *   utilization (usage.ts); a target replica serves that × its compute
 *   against a current replica's (GPUs × relative speed, a share counting as
 *   its fraction of a GPU), and replicas = max(1, ⌈p95 rate ÷ that⌉). When
 *   no sample is busy enough to measure it, the replicas must keep at least
 *   the compute the current ones use at their p95 utilization;
 * - price: replicas × GPUs per replica × the pool's GPU-hour price × 730 h.
 *
 * Whole GPUs of the same type on another pool are not options here: where
 * a model runs is the arbitrage engine's question.
 */
import { HOURS_PER_MONTH } from '../placement';
import {
  CandidatePool,
  RightsizingInput,
  RightsizingOption,
  RightsizingOptions,
  RightsizingResult,
} from './types';
import { confidenceOf, summarize, validateRightsizing } from './usage';

const GIB = 1024;
const gib = (mib: number) => `${(mib / GIB).toFixed(1)} GiB`;
const rate = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} req/s`;
const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

function shape(c: CandidatePool, needMiB: number) {
  if (c.sharing === 'whole') {
    const gpus = Math.max(1, Math.ceil(needMiB / c.gpuMemoryMiB - 1e-9));
    return { gpusPerReplica: gpus, offerMiB: gpus * c.gpuMemoryMiB };
  }
  const k = c.replicasPerGpu!;
  return { gpusPerReplica: 1 / k, offerMiB: c.gpuMemoryMiB / k };
}

/** The options that save money for one model; see the file's comment. */
export function rightsize(
  input: RightsizingInput,
  options: RightsizingOptions = {},
): RightsizingResult {
  validateRightsizing(input, options);
  const headroom = options.headroom ?? 0.2;
  const target = options.targetUtilization ?? 70;
  const minSaving = options.minMonthlySavingUsd ?? 1;
  const cur = input.current;
  const usage = summarize(input, target);
  const confidence = confidenceOf(input, usage.days);
  const base = Math.max(input.estimateMiB ?? 0, usage.peakMemoryMiB);
  const needMiB = base * (1 + headroom);
  const before =
    cur.replicas * cur.gpusPerReplica * cur.usdPerGpuHour * HOURS_PER_MONTH;

  const candidates = input.candidates.some(c => c.ref === cur.pool)
    ? input.candidates
    : [
        ...input.candidates,
        {
          ref: cur.pool,
          gpu: cur.gpu,
          gpuMemoryMiB: cur.memoryMiBPerReplica / cur.gpusPerReplica,
          usdPerGpuHour: cur.usdPerGpuHour,
          sharing: cur.gpusPerReplica < 1 ? 'mig' : 'whole',
          ...(cur.gpusPerReplica < 1
            ? { replicasPerGpu: Math.round(1 / cur.gpusPerReplica) }
            : {}),
        } as CandidatePool,
      ];

  const memoryWords = `peak ${gib(usage.peakMemoryMiB)} (p95 ${gib(
    usage.p95MemoryMiB,
  )}) of ${gib(cur.memoryMiBPerReplica)} over ${usage.days.toFixed(0)} days${
    input.estimateMiB !== undefined
      ? `, estimate ${gib(input.estimateMiB)}`
      : ''
  }; with ${Math.round(headroom * 100)} % headroom ${gib(needMiB)} needed`;
  const trafficWords = usage.perReplicaKnown
    ? `p95 ${rate(usage.p95Rps)}; one replica of ${cur.gpu} serves up to ${rate(
        usage.perReplicaRps,
      )} at ${target} % utilization (observed ${usage.meanUtilization.toFixed(
        1,
      )} % mean, ${usage.p95Utilization.toFixed(1)} % p95)`
    : `GPU utilization ${usage.p95Utilization.toFixed(
        1,
      )} % at p95, too low to measure a replica's capacity: sized to keep the compute in use at p95 against ${target} %`;

  const out: RightsizingOption[] = [];
  for (const c of candidates) {
    const same = c.ref === cur.pool;
    if (!same && c.gpu === cur.gpu && c.sharing === 'whole') continue;
    const { gpusPerReplica, offerMiB } = shape(c, needMiB);
    if (offerMiB < needMiB) continue;
    const speed = c.relativeSpeed ?? 1;
    const compute = (gpusPerReplica * speed) / cur.gpusPerReplica;
    let replicas: number;
    let capacityRps: number;
    if (usage.perReplicaKnown) {
      capacityRps = usage.perReplicaRps * compute;
      replicas = Math.max(1, Math.ceil(usage.p95Rps / capacityRps - 1e-9));
    } else {
      // Current compute in use at p95, in current replicas.
      const used = (cur.replicas * usage.p95Utilization) / target;
      replicas = Math.max(1, Math.ceil(used / compute - 1e-9));
      capacityRps = 0;
    }
    const after = replicas * gpusPerReplica * c.usdPerGpuHour * HOURS_PER_MONTH;
    const saving = before - after;
    if (saving < minSaving) continue;
    let kind: RightsizingOption['kind'];
    if (
      c.sharing !== 'whole' &&
      (!same || gpusPerReplica < cur.gpusPerReplica)
    ) {
      kind = 'gpu-share';
    } else if (c.gpu !== cur.gpu) kind = 'smaller-gpu';
    else if (gpusPerReplica < cur.gpusPerReplica) kind = 'fewer-gpus';
    else kind = 'fewer-replicas';
    const where =
      c.sharing === 'whole'
        ? `${gpusPerReplica} × ${c.gpu} (${gib(offerMiB)})`
        : `a ${c.sharing === 'mig' ? 'MIG slice' : 'time-slice'} of ${
            c.gpu
          } (1/${c.replicasPerGpu}, ${gib(offerMiB)})`;
    out.push({
      kind,
      pool: c.ref,
      gpu: c.gpu,
      gpusPerReplica,
      replicas,
      memoryNeedMiB: needMiB,
      memoryOfferMiB: offerMiB,
      capacityRps: capacityRps * replicas,
      monthlyUsdBefore: before,
      monthlyUsdAfter: after,
      monthlySavingUsd: saving,
      evidence: `${memoryWords}, ${where} per replica offers it; ${trafficWords}; ${replicas} replica${
        replicas > 1 ? 's' : ''
      } on ${c.title ?? c.ref}${
        usage.perReplicaKnown
          ? ` serve${replicas > 1 ? '' : 's'} ${rate(capacityRps * replicas)}`
          : ''
      } (now ${cur.replicas}); ${usd(before)} → ${usd(after)} a month`,
      confidence,
    });
  }
  out.sort((a, b) => b.monthlySavingUsd - a.monthlySavingUsd);
  const { perReplicaKnown: _, ...summary } = usage;
  return { model: input.model, usage: summary, options: out };
}
