import {
  MODEL_INPUT_RANGES as RANGES,
  ModelSourceError,
  parseModelSource,
} from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod';
import { InputError } from '@backstage/errors';
import {
  entityRefString,
  formatIssues,
  numberIn,
  replicasSchema,
} from '../validation';
import { isMig } from './sizing';
import { HF_TOKEN_SECRET } from './constants';
import { labelKeyProblem } from './labels';

const CRON_FIELD = /^[\d*,\-/A-Za-z?LW#]+$/;

const cron = (what: string) =>
  z.string({ description: `${what}, a 5-field cron expression` }).refine(s => {
    const fields = s.trim().split(/\s+/);
    return fields.length === 5 && fields.every(f => CRON_FIELD.test(f));
  }, 'must be a 5-field cron expression, e.g. "0 8 * * 1-5"');

const isTimeZone = (tz: string) => {
  try {
    // eslint-disable-next-line no-new
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * How a model scaled to zero wakes: `http-addon` (the KEDA HTTP add-on's
 * HTTPScaledObject), `knative` (a Knative Service) or `keda-poll` (a KEDA
 * ScaledObject's Prometheus poll and cron trigger).
 *
 * @public
 */
export const WAKE_MODES = ['http-addon', 'knative', 'keda-poll'] as const;

/**
 * What an idle model does: `zero` scales it to zero replicas (woken as
 * `wakeOn` says); `sleep` keeps its replicas and puts vLLM to sleep
 * (sleep mode level 1) behind a wake gate.
 *
 * @public
 */
export const IDLE_TIERS = ['zero', 'sleep'] as const;

/** The longest `scale-to-zero-pod-retention-period` Knative accepts (its WindowMax, 1h). */
export const KNATIVE_MAX_IDLE_MINUTES = 60;

/** Default business-hours window: 08:00 to 19:00, Monday to Friday, UTC. */
export const DEFAULT_BUSINESS_HOURS = {
  start: '0 8 * * 1-5',
  end: '0 19 * * 1-5',
  timezone: 'UTC',
};

/**
 * A node label key (`[prefix/]name`), checked here so a bad key is refused
 * by the input field the user gave (`pool.scheduling.nodeSelector.$where`),
 * not by where it lands in the rendered Deployment.
 */
const labelKey = z.string().superRefine((key, ctx) => {
  const problem = labelKeyProblem(key);
  if (problem) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be a Kubernetes label key: ${problem}`,
    });
  }
});

const labelValue = z
  .string()
  .max(63)
  .regex(
    /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
    'must be a Kubernetes label value',
  );

/**
 * The model source, parsed by the shared rules (Hugging Face ids, OCI
 * references, buckets, https). A source carrying credentials is refused
 * with where credentials go instead; the message never repeats the source.
 */
const modelSource = z
  .string({
    description:
      'Hugging Face id (org/name) or registry URI (oci://, s3://, gs://, hf://, https://), without credentials',
  })
  .superRefine((source, ctx) => {
    try {
      parseModelSource(source);
    } catch (e) {
      if (!(e instanceof ModelSourceError)) throw e;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: e.credentials
          ? `${e.message} (a Hugging Face token goes in the Secret ${HF_TOKEN_SECRET}, key token; oci://, s3://, gs:// and https:// sources cannot take credentials yet)`
          : e.message,
      });
    }
  });

/**
 * Fields of the `modelfleet:manifests:render` input, one zod schema each
 * (the scaffolder action declares them field by field).
 *
 * @public
 */
export const renderManifestsInputFields = {
  name: z
    .string({
      description:
        'Model name: the Model entity, Deployment and Service name (DNS-1035 label, at most 52 characters)',
    })
    .max(52)
    .regex(
      /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
      'must be lowercase letters, digits and "-", start with a letter and end with a letter or digit',
    ),
  namespace: z
    .string({ description: 'Kubernetes namespace (default models)' })
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label')
    .default('models'),
  title: z.string({ description: 'Display title' }).min(1).optional(),
  description: z.string({ description: 'What the model is for' }).optional(),
  owner: entityRefString(
    'Owner, a Group entity ref (group:default/search-team) the catalog knows',
  ),
  system: z.string({ description: 'System entity ref' }).min(1).optional(),
  lifecycle: z
    .string({ description: 'Lifecycle (default experimental)' })
    .min(1)
    .default('experimental'),
  model: z
    .object(
      {
        source: modelSource,
        parametersBillions: numberIn(
          RANGES.parametersBillions,
          'Parameter count in billions',
        ),
        precision: z.enum(['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'], {
          description: 'Precision the weights are served in',
        }),
        runtime: z.enum(['vllm', 'tgi', 'triton'], {
          description: 'Serving runtime',
        }),
      },
      { description: 'The model and how it is served' },
    )
    .strict(),
  gpu: z
    .object(
      {
        product: z
          .string({ description: 'GPU product, e.g. L4 or H100' })
          .min(1)
          .max(63),
        count: numberIn(
          RANGES.gpusPerReplica,
          'GPUs (or GPU slices) per replica',
        ),
        memoryGiB: numberIn(
          RANGES.gpuMemoryGiB,
          'GPU memory one replica needs, GiB',
        ),
      },
      { description: 'What one replica needs' },
    )
    .strict(),
  replicas: replicasSchema,
  traffic: z.enum(['always-on', 'business-hours', 'sporadic'], {
    description:
      'always-on keeps replicas warm (HPA); business-hours scales to zero outside the window; sporadic scales to zero when idle (KEDA)',
  }),
  idleTier: z
    .enum(IDLE_TIERS, {
      description:
        "What an idle model does (business-hours and sporadic traffic): zero (the default) scales it to zero replicas, its GPU freed for the cluster and woken by wakeOn in minutes; sleep keeps its replicas and puts vLLM to sleep between bursts (weights to host memory, GPU memory released, woken by a wake gate in the pod in seconds), for pools that share GPUs by time-slicing, where the freed memory serves the GPU's other tenants. Sleep needs the vllm runtime; wakeOn does not apply to it",
    })
    .default('zero'),
  wakeOn: z
    .enum(WAKE_MODES, {
      description:
        "How a model at zero wakes (business-hours and sporadic traffic; always-on models and the sleep idle tier are never at zero and ignore it): http-addon (default) holds each request in the KEDA HTTP add-on's interceptor until a replica is Ready; knative renders a Knative Service instead of the Deployment (needs Knative Serving on the cluster; sporadic traffic only); keda-poll wakes at the ScaledObject's next Prometheus poll or cron window",
    })
    .default('http-addon'),
  hibernation: z
    .object(
      {
        idleMinutes: numberIn(
          RANGES.idleMinutes,
          'Idle minutes before scaling to zero',
        ).default(30),
        businessHours: z
          .object(
            {
              start: cron('Start of the window'),
              end: cron('End of the window'),
              timezone: z
                .string({ description: 'IANA time zone, e.g. Europe/Paris' })
                .refine(isTimeZone, 'must be an IANA time zone'),
            },
            {
              description:
                'Business-hours window (default 08:00–19:00 Mon–Fri UTC)',
            },
          )
          .strict()
          .default(DEFAULT_BUSINESS_HOURS),
      },
      { description: 'Scale-to-zero settings' },
    )
    .strict()
    .default({}),
  pool: z
    .object(
      {
        ref: z.string({ description: 'GpuPool entity ref' }).min(1),
        cluster: z.string({ description: 'Cluster name' }).min(1),
        region: z.string({ description: 'Region' }).min(1),
        capacityType: z.enum(['on-demand', 'spot', 'reserved']),
        sharing: z
          .enum(['whole', 'mig', 'time-slicing'], {
            description:
              "The pool's GPU sharing mode (its GpuPool's spec.gpu.sharing); idleTier sleep needs time-slicing",
          })
          .optional(),
        scheduling: z
          .object({
            nodeSelector: z.record(labelKey, labelValue),
            tolerations: z.array(
              z
                .object({
                  key: z.string().min(1),
                  operator: z.enum(['Equal', 'Exists']),
                  value: z.string().optional(),
                  effect: z.enum([
                    'NoSchedule',
                    'PreferNoSchedule',
                    'NoExecute',
                  ]),
                })
                .strict(),
            ),
            gpuResource: z
              .string({
                description:
                  'Extended resource requested, e.g. nvidia.com/gpu or nvidia.com/mig-3g.40gb',
              })
              .regex(
                /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
                'must be a domain-prefixed extended resource name such as nvidia.com/gpu',
              ),
          })
          .strict(),
      },
      { description: 'The GpuPool picked by placement, and how to land on it' },
    )
    .strict(),
  monthlyBudgetUsd: numberIn(
    RANGES.monthlyBudgetUsd,
    'Monthly budget, USD',
  ).optional(),
  spot: z
    .enum(['forbid', 'allow', 'require'], { description: 'Spot tolerance' })
    .optional(),
  cacheStorageClass: z
    .string({
      description:
        'StorageClass of the model-cache volume (cluster default when absent; must support ReadWriteMany when replicas.max > 1)',
    })
    .min(1)
    .optional(),
  targetPath: z
    .string({ description: 'Workspace directory to write into (default .)' })
    .default('.'),
};

/**
 * The whole input schema of `modelfleet:manifests:render`.
 *
 * @public
 */
export const renderManifestsInputSchema = z
  .object(renderManifestsInputFields)
  .strict();

/**
 * Input of {@link renderModelManifests}, before defaults.
 *
 * @public
 */
export type RenderManifestsInput = z.input<typeof renderManifestsInputSchema>;

/**
 * Input of {@link renderModelManifests}, defaults applied.
 *
 * @public
 */
export type ResolvedRenderManifestsInput = z.output<
  typeof renderManifestsInputSchema
>;

/**
 * The render input with defaults applied, or an InputError naming each bad
 * field (unknown keys included) and each combination that cannot work.
 */
export function parseRenderInput(
  input: RenderManifestsInput,
): ResolvedRenderManifestsInput {
  const parsed = renderManifestsInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new InputError(`Invalid input: ${formatIssues(parsed.error.issues)}`);
  }
  const v = parsed.data;
  if (isMig(v.pool.scheduling.gpuResource) && v.gpu.count > 1) {
    throw new InputError(
      `gpu.count: a CUDA process uses a single MIG instance, so requesting ${
        v.gpu.count
      } × ${v.pool.scheduling.gpuResource} per replica wastes ${
        v.gpu.count - 1
      }; use 1 or a larger MIG profile`,
    );
  }
  if (v.idleTier === 'sleep') {
    checkSleepTier(v);
  } else if (v.wakeOn === 'knative' && v.traffic === 'business-hours') {
    throw new InputError(
      'wakeOn: knative cannot keep a model warm on a schedule (Knative has no cron minimum), so it serves sporadic traffic only; use http-addon or keda-poll for business-hours traffic',
    );
  }
  if (
    v.idleTier === 'zero' &&
    v.wakeOn === 'knative' &&
    v.traffic === 'sporadic' &&
    v.hibernation.idleMinutes > KNATIVE_MAX_IDLE_MINUTES
  ) {
    throw new InputError(
      `hibernation.idleMinutes: Knative keeps an idle revision at most ${KNATIVE_MAX_IDLE_MINUTES} minutes (scale-to-zero-pod-retention-period); use at most ${KNATIVE_MAX_IDLE_MINUTES}, or wakeOn http-addon`,
    );
  }
  if (v.spot === 'forbid' && v.pool.capacityType === 'spot') {
    throw new InputError(
      `pool.capacityType: pool ${v.pool.ref} is spot capacity but spot is 'forbid'`,
    );
  }
  if (v.spot === 'require' && v.pool.capacityType !== 'spot') {
    throw new InputError(
      `pool.capacityType: spot is 'require' but pool ${v.pool.ref} is ${v.pool.capacityType}`,
    );
  }
  return v;
}

/**
 * What the sleep idle tier needs: vLLM (the runtime with a sleep mode), a
 * pool sharing its GPUs by time-slicing (where the memory a sleeping
 * engine frees serves the GPU's other tenants) and traffic that idles.
 */
function checkSleepTier(v: ResolvedRenderManifestsInput) {
  if (v.model.runtime !== 'vllm') {
    throw new InputError(
      `idleTier: sleep needs model.runtime vllm (its sleep mode); ${v.model.runtime} has none, use idleTier zero`,
    );
  }
  if (v.pool.sharing !== 'time-slicing') {
    const mode = v.pool.sharing
      ? `shares its GPUs as '${v.pool.sharing}'`
      : 'does not say how it shares its GPUs';
    throw new InputError(
      `pool.sharing: idleTier sleep needs a pool whose GPUs are shared by time-slicing, and pool ${v.pool.ref} ${mode}. On a whole GPU or a MIG slice the memory a sleeping engine frees serves no one, while the replica still holds the GPU: use idleTier zero, which frees it`,
    );
  }
  if (v.traffic === 'always-on') {
    throw new InputError(
      'idleTier: sleep is for traffic that idles (business-hours or sporadic); an always-on model never idles, so there is nothing to sleep through',
    );
  }
}
