/*
 * A model's rightsizing as one recommendation (pure): its best option in
 * words, and whether the action path can apply it: fewer replicas as a
 * Scale, a smaller GPU on another pool as a move (make before break),
 * the rest with what a person would do instead.
 */
import { Recommendation } from '@modelfleet/plugin-modelfleet-common';
import { RightsizingOption, RightsizingResult } from '../engines/rightsizing';
import { Finding } from './fromActions';
import { dollars } from './format';
import { recommendationId } from './ids';

/** The model a rightsizing is about, as the cluster and the catalog show it. */
export interface RightsizedModel {
  modelRef: string;
  teamRef?: string;
  /** Its name as people read it (the Model's title). */
  name: string;
  /** Its GpuPool ref now. */
  pool: string;
  replicas: number;
  /** GPUs a replica asks for now (a fraction for a share). */
  gpusPerReplica: number;
  /**
   * The GPU memory its Model asks a pool for a replica
   * (`spec.gpu.memoryGiB`): a move keeps it, so the target must offer it.
   */
  declaredMemoryMiB?: number;
}

/** What the words need of the pools: a title, and how a pool shares its GPUs. */
export interface PoolWords {
  title(ref: string): string;
  sharing(ref: string): 'whole' | 'mig' | 'time-slicing' | undefined;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

/** A reason as a sentence: its first letter upper case. */
const sentence = (s: string) =>
  s.charAt(0).toLocaleUpperCase('en-US') + s.slice(1);

/** An option in a few words: `a smaller GPU, L4 on g6-l4 (c1)`. */
function optionWords(o: RightsizingOption, pools: PoolWords): string {
  const where = pools.title(o.pool);
  switch (o.kind) {
    case 'fewer-replicas':
      return `${plural(o.replicas, 'replica')} on ${where}`;
    case 'fewer-gpus':
      return `${plural(o.gpusPerReplica, 'GPU')} per replica on ${where}`;
    case 'smaller-gpu':
      return `a smaller GPU, ${o.gpusPerReplica} × ${o.gpu} per replica on ${where}`;
    default:
      return `a ${
        pools.sharing(o.pool) === 'time-slicing' ? 'time-slice' : 'MIG slice'
      } of ${o.gpu} on ${where}`;
  }
}

function titleOf(
  o: RightsizingOption,
  model: RightsizedModel,
  pools: PoolWords,
): string {
  switch (o.kind) {
    case 'fewer-replicas':
      return `Run fewer replicas of ${model.name}: ${o.replicas} instead of ${model.replicas}`;
    case 'fewer-gpus':
      return `Give fewer GPUs to each replica of ${model.name}: ${o.gpusPerReplica} instead of ${model.gpusPerReplica}`;
    case 'smaller-gpu':
      return `Move ${model.name} to a smaller GPU: ${o.gpu} on ${pools.title(
        o.pool,
      )}`;
    default:
      return `Serve ${model.name} from ${optionWords(o, pools)}`;
  }
}

/**
 * Whether `POST /recommendations/:id/apply` can apply the option, and if
 * not, what a person would do instead. A move keeps the model's GPU
 * request and its replicas (make before break), so a smaller GPU is a
 * move only when one replica asks for as many GPUs there and its replicas
 * now are enough.
 */
export function rightsizingApplicable(
  o: RightsizingOption,
  model: RightsizedModel,
  pools: PoolWords,
): Recommendation['applicable'] {
  const where = pools.title(o.pool);
  if (o.kind === 'fewer-replicas') return { allowed: true };
  const share = o.kind === 'gpu-share' || pools.sharing(o.pool) !== 'whole';
  // A replica asking for one GPU asks for one slice on a pool that shares
  // them (the pool's resource: a MIG profile, or a time-sliced nvidia.com/gpu):
  // a move there renders exactly the share.
  if (share && model.gpusPerReplica !== 1) {
    return {
      allowed: false,
      reason: sentence(
        `${optionWords(
          o,
          pools,
        )} is asked for as a slice of a GPU rather than whole GPUs, a change to ${
          model.name
        }'s manifests that no action makes: deploy it again on ${where} with the Deploy a model template (its GPU pool step lists the pool), then scale the old deployment to zero`,
      ),
    };
  }
  if (share) return movedApplicable(o, model, where);
  if (o.pool === model.pool) {
    return {
      allowed: false,
      reason: `Fewer GPUs per replica is a change to ${model.name}'s GPU request, which no action makes: set spec.gpu.count to ${o.gpusPerReplica} in its Model (its GitOps repository) and deploy it again`,
    };
  }
  if (o.gpusPerReplica !== model.gpusPerReplica) {
    return {
      allowed: false,
      reason: `On ${where} a replica needs ${o.gpusPerReplica} × ${
        o.gpu
      } where it asks for ${plural(
        model.gpusPerReplica,
        'GPU',
      )} now, and a move keeps its GPU request: set spec.gpu.count to ${
        o.gpusPerReplica
      } in its Model and deploy it again on ${where}`,
    };
  }
  return movedApplicable(o, model, where);
}

/**
 * A move keeps the Model's GPU memory request and its replicas: the target
 * must offer the memory it asks for, and its replicas must serve the p95
 * traffic there, or a person changes them first.
 */
function movedApplicable(
  o: RightsizingOption,
  model: RightsizedModel,
  where: string,
): Recommendation['applicable'] {
  const asks = model.declaredMemoryMiB;
  if (asks !== undefined && asks > o.memoryOfferMiB) {
    const gib = (mib: number) => Math.ceil(mib / 1024);
    return {
      allowed: false,
      reason: `Its Model asks for ${gib(
        asks,
      )} GiB of GPU memory a replica (spec.gpu.memoryGiB) and a move keeps that, where ${where} offers ${Math.floor(
        o.memoryOfferMiB / 1024,
      )} GiB; its peak with headroom is ${gib(
        o.memoryNeedMiB,
      )} GiB: set spec.gpu.memoryGiB to ${gib(
        o.memoryNeedMiB,
      )} in its Model first, then apply this again`,
    };
  }
  if (o.replicas > model.replicas) {
    return {
      allowed: false,
      reason: `On ${o.gpu} it needs ${plural(
        o.replicas,
        'replica',
      )} for its p95 traffic where it runs ${
        model.replicas
      } now, and a move keeps its replicas: scale it to ${
        o.replicas
      } on its Model page first, then apply this again`,
    };
  }
  return { allowed: true };
}

/**
 * A model's rightsizing, as one recommendation: its best option, with the
 * others in the evidence.
 */
export function rightsizingRecommendation(
  result: RightsizingResult,
  model: RightsizedModel,
  pools: PoolWords,
): Finding | undefined {
  const [best, ...others] = result.options;
  if (!best) return undefined;
  const u = result.usage;
  const evidence = [
    `${best.evidence}.`,
    `Over ${u.days.toFixed(
      1,
    )} days its GPU utilization was ${u.meanUtilization.toFixed(
      1,
    )} % on average and ${u.p95Utilization.toFixed(1)} % at p95.`,
  ];
  const applicable = rightsizingApplicable(best, model, pools);
  const moves = best.pool !== model.pool;
  if (moves && applicable.allowed && best.replicas < model.replicas) {
    evidence.push(
      `The move keeps its ${
        model.replicas
      } replicas; once it runs on ${pools.title(best.pool)}, fewer replicas (${
        best.replicas
      }) is the next recommendation.`,
    );
  }
  if (others.length) {
    evidence.push(
      `Other options: ${others
        .slice(0, 3)
        .map(
          o =>
            `${optionWords(o, pools)} (saves ${dollars(
              o.monthlySavingUsd,
            )} a month)`,
        )
        .join('; ')}.`,
    );
  }
  const stopped = moves ? 0 : Math.max(0, model.replicas - best.replicas);
  return {
    id: recommendationId(
      'rightsizing',
      { modelRef: model.modelRef },
      `${best.kind}:${best.pool}`,
    ),
    kind: 'rightsizing',
    subject: {
      modelRef: model.modelRef,
      poolRef: best.pool,
      ...(model.teamRef ? { teamRef: model.teamRef } : {}),
    },
    title: titleOf(best, model, pools),
    monthlySavingUsd: best.monthlySavingUsd,
    disruption: moves
      ? {
          level: 'move',
          podsAffected: model.replicas,
          description: `make before break: its ${plural(
            model.replicas,
            'replica',
          )} start on ${pools.title(
            best.pool,
          )} and become ready before the old ones stop`,
        }
      : {
          level: 'restart',
          podsAffected: stopped,
          description:
            best.kind === 'fewer-replicas'
              ? `${plural(
                  stopped,
                  'replica',
                )} stop; the others serve its p95 traffic`
              : `its ${plural(
                  model.replicas,
                  'replica',
                )} restart with fewer GPUs each`,
        },
    confidence: {
      level: best.confidence.level,
      reason: best.confidence.reason,
    },
    evidence,
    source: {
      type: 'rightsizing',
      option: best.kind,
      pool: best.pool,
      replicas: best.replicas,
      gpusPerReplica: best.gpusPerReplica,
    },
    applicable,
  };
}
