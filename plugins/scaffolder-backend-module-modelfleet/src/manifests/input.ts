import { z } from 'zod';

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

/** Default business-hours window: 08:00 to 19:00, Monday to Friday, UTC. */
export const DEFAULT_BUSINESS_HOURS = {
  start: '0 8 * * 1-5',
  end: '0 19 * * 1-5',
  timezone: 'UTC',
};

const labelValue = z
  .string()
  .max(63)
  .regex(
    /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
    'must be a Kubernetes label value',
  );

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
  owner: z
    .string({
      description: 'Owner, a Group entity ref (group:default/search-team)',
    })
    .regex(
      /^([A-Za-z]+:)?([A-Za-z0-9][-A-Za-z0-9_.]*\/)?[A-Za-z0-9][-A-Za-z0-9_.]*$/,
      'must be an entity ref such as group:default/search-team',
    ),
  system: z.string({ description: 'System entity ref' }).min(1).optional(),
  lifecycle: z
    .string({ description: 'Lifecycle (default experimental)' })
    .min(1)
    .default('experimental'),
  model: z.object(
    {
      source: z
        .string({
          description:
            'Hugging Face id (org/name) or registry URI (oci://, s3://, gs://, hf://, https://)',
        })
        .refine(
          s =>
            /^[A-Za-z0-9][-\w.]*\/[-\w.]+$/.test(s) ||
            /^(oci|s3|gs|hf|https):\/\/\S+$/.test(s),
          'must be a Hugging Face id (org/name) or an oci://, s3://, gs://, hf:// or https:// URI',
        ),
      parametersBillions: z
        .number({ description: 'Parameter count in billions' })
        .positive(),
      precision: z.enum(['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'], {
        description: 'Precision the weights are served in',
      }),
      runtime: z.enum(['vllm', 'tgi', 'triton'], {
        description: 'Serving runtime',
      }),
    },
    { description: 'The model and how it is served' },
  ),
  gpu: z.object(
    {
      product: z.string({ description: 'GPU product, e.g. L4 or H100' }).min(1),
      count: z
        .number({ description: 'GPUs (or GPU slices) per replica' })
        .int()
        .min(1),
      memoryGiB: z
        .number({ description: 'GPU memory one replica needs, GiB' })
        .positive(),
    },
    { description: 'What one replica needs' },
  ),
  replicas: z
    .object(
      {
        min: z.number({ description: 'Minimum replicas' }).int().min(0),
        max: z.number({ description: 'Maximum replicas' }).int().min(1),
      },
      { description: 'Replica bounds' },
    )
    .refine(r => r.max >= r.min, {
      message: 'max must be ≥ min',
      path: ['max'],
    }),
  traffic: z.enum(['always-on', 'business-hours', 'sporadic'], {
    description:
      'always-on keeps replicas warm (HPA); business-hours scales to zero outside the window; sporadic scales to zero when idle (KEDA)',
  }),
  hibernation: z
    .object(
      {
        idleMinutes: z
          .number({ description: 'Idle minutes before scaling to zero' })
          .positive()
          .default(30),
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
          .default(DEFAULT_BUSINESS_HOURS),
      },
      { description: 'Scale-to-zero settings' },
    )
    .default({}),
  pool: z.object(
    {
      ref: z.string({ description: 'GpuPool entity ref' }).min(1),
      cluster: z.string({ description: 'Cluster name' }).min(1),
      region: z.string({ description: 'Region' }).min(1),
      capacityType: z.enum(['on-demand', 'spot', 'reserved']),
      scheduling: z.object({
        nodeSelector: z.record(labelValue),
        tolerations: z.array(
          z.object({
            key: z.string().min(1),
            operator: z.enum(['Equal', 'Exists']),
            value: z.string().optional(),
            effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
          }),
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
      }),
    },
    { description: 'The GpuPool picked by placement, and how to land on it' },
  ),
  monthlyBudgetUsd: z
    .number({ description: 'Monthly budget, USD' })
    .min(0)
    .optional(),
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
export const renderManifestsInputSchema = z.object(renderManifestsInputFields);

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
