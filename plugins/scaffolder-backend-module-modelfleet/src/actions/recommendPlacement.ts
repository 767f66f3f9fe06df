import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatUsd,
  MODEL_INPUT_RANGES as RANGES,
  PlacementExclusionCode,
  PlacementRequestBody,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { z } from 'zod';
import {
  assertGroupInCatalog,
  entityRefString,
  numberIn,
  parseInput,
  replicasSchema,
  scaffolderFields,
} from '../validation';
import { examples } from './recommendPlacement.examples';
import { callModelfleet } from './modelfleetApi';

/** Calls `POST /api/modelfleet/placement` on behalf of a user. */
export interface PlacementClient {
  place(
    body: PlacementRequestBody,
    credentials: BackstageCredentials,
  ): Promise<PlacementResponse>;
}

/** A {@link PlacementClient} that finds the ModelFleet backend through discovery. */
export function createPlacementClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): PlacementClient {
  return {
    place: (body, credentials) =>
      callModelfleet<PlacementResponse>(options, credentials, '/placement', {
        method: 'POST',
        body,
      }),
  };
}

const names = (description: string) =>
  z.array(z.string().min(1).max(100), { description }).max(50).optional();

const inputFields = {
  name: z
    .string({ description: 'Model name (DNS label)' })
    .regex(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      'must be a lower-case DNS label (a-z, 0-9, -; at most 63 characters)',
    ),
  owner: entityRefString(
    'Owner Group entity ref; must be a Group in the catalog',
  ).optional(),
  runtime: z
    .enum(['vllm', 'tgi', 'triton'], { description: 'Serving runtime' })
    .optional(),
  parametersBillions: numberIn(
    RANGES.parametersBillions,
    'Parameter count, billions',
  ).optional(),
  precision: z
    .enum(['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'], {
      description: 'Precision of the served weights',
    })
    .optional(),
  memoryMiB: numberIn(
    RANGES.memoryMiB,
    'GPU memory per replica, MiB (instead of parameters and precision)',
  ).optional(),
  gpusPerReplica: numberIn(
    RANGES.gpusPerReplica,
    'GPUs per replica (default 1)',
  ).optional(),
  replicas: replicasSchema,
  traffic: z
    .enum(['always-on', 'business-hours', 'sporadic'], {
      description: 'Traffic pattern',
    })
    .optional(),
  spot: z
    .enum(['forbid', 'allow', 'require'], { description: 'Spot tolerance' })
    .optional(),
  regions: names('Allowed regions (any if empty)'),
  gpuTypes: names('Wanted GPU products'),
  monthlyBudgetUsd: numberIn(
    RANGES.monthlyBudgetUsd,
    'Monthly budget, USD',
  ).optional(),
  pool: z
    .string({
      description:
        'The GpuPool entity ref picked; the cheapest allowed pool when absent',
    })
    .min(1)
    .max(400)
    .optional(),
};
const inputSchema = z.object(inputFields).strict();

/**
 * The inputs that kept every pool out, from the codes of the pools
 * excluded, for a blocked placement's error to name them: the GPU memory
 * (`memoryMiB`, or the parameters and precision it was estimated from),
 * the wanted GPU products, spot, regions, the budget, the replicas. Only
 * the fields the input gave: a policy's limits are not the user's to fix.
 */
export function blockingFields(
  input: Partial<Record<keyof typeof inputFields, unknown>>,
  excluded: Array<{ code: PlacementExclusionCode }>,
): string[] {
  const codes = new Set(excluded.map(e => e.code));
  const memory =
    input.memoryMiB !== undefined
      ? ['memoryMiB']
      : ['parametersBillions', 'precision'];
  const byCode: Array<[PlacementExclusionCode, string[]]> = [
    ['gpu-memory', [...memory, 'gpusPerReplica']],
    ['gpu-type', ['gpuTypes']],
    ['spot-forbidden', ['spot']],
    ['spot-required', ['spot']],
    ['region', ['regions']],
    ['budget', ['monthlyBudgetUsd']],
    ['no-capacity', ['replicas']],
  ];
  const fields = byCode
    .filter(([code]) => codes.has(code))
    .flatMap(([, keys]) => keys)
    .filter(name => {
      const v = input[name as keyof typeof inputFields];
      return v !== undefined && !(Array.isArray(v) && !v.length);
    });
  return [...new Set(fields)];
}

/** A template expression of an unset parameter renders as '' or nothing. */
const isUnset = (v: unknown) => v === undefined || v === '';

const SHARING_MODES = ['whole', 'mig', 'time-slicing'] as const;

/**
 * How the pool shares its GPUs, from its GpuPool entity
 * (`spec.gpu.sharing`, `whole` when it says nothing), or undefined when
 * the catalog cannot tell: the placement does not carry it.
 */
async function poolSharing(
  catalog: CatalogService,
  ref: string,
  credentials: BackstageCredentials,
  logger: { warn(message: string): void },
): Promise<(typeof SHARING_MODES)[number] | undefined> {
  try {
    const entity = await catalog.getEntityByRef(ref, { credentials });
    const sharing = (entity?.spec as any)?.gpu?.sharing ?? 'whole';
    return entity && SHARING_MODES.includes(sharing) ? sharing : undefined;
  } catch (e) {
    logger.warn(`Could not read how ${ref} shares its GPUs: ${e}`);
    return undefined;
  }
}

/**
 * `modelfleet:placement:recommend`: asks the placement engine where a model
 * goes, checks the picked pool against the owner team's policy and budget,
 * and outputs what the manifests need (scheduling, GPU resource, how the
 * pool shares its GPUs) and what it costs. A blocked request (policy, budget, nothing fits) fails the step
 * with the reasons. Read-only, so it runs in dry-run too.
 *
 * @public
 */
export function createRecommendPlacementAction(options: {
  client: PlacementClient;
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'modelfleet:placement:recommend',
    description:
      'Finds the cheapest GPU pool that fits a model under its team policy and budget (or checks the picked one), and outputs its scheduling, GPU resource and monthly cost.',
    examples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(inputFields),
      output: scaffolderFields({
        pool: z.string({ description: 'GpuPool entity ref' }),
        poolTitle: z.string(),
        cluster: z.string(),
        region: z.string(),
        provider: z.string(),
        capacityType: z.string(),
        gpuProduct: z.string(),
        gpuSharing: z
          .enum(SHARING_MODES, {
            description:
              "How the pool shares its GPUs (its GpuPool entity's spec.gpu.sharing); absent when the catalog does not have the pool",
          })
          .optional(),
        gpuMemoryGiB: z.number({
          description: 'GPU memory per replica the model needs',
        }),
        scheduling: z.object({
          nodeSelector: z.record(z.string()),
          tolerations: z.array(
            z.object({
              key: z.string(),
              operator: z.enum(['Equal', 'Exists']),
              value: z.string().optional(),
              effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
            }),
          ),
          gpuResource: z.string(),
        }),
        monthlyUsd: z.number({
          description: 'What the cloud bill grows by a month (nodes added)',
        }),
        monthlyUsdAtMax: z.number(),
        chargedMonthlyUsd: z.number({
          description: 'What showback charges the team a month',
        }),
        usdPerNodeHour: z.number(),
        priceSource: z.string(),
        summary: z.string(),
      }),
    },
    async handler(ctx) {
      const input = parseInput(
        inputSchema,
        Object.fromEntries(
          Object.entries(ctx.input ?? {}).filter(([, v]) => !isUnset(v)),
        ),
      );
      const { replicas } = input;
      const credentials = await ctx.getInitiatorCredentials();
      if (input.owner !== undefined) {
        await assertGroupInCatalog({
          catalog: options.catalog,
          credentials,
          field: 'owner',
          ref: input.owner,
        });
      }
      const body = Object.fromEntries(
        Object.entries(input).filter(
          ([, v]) => !(Array.isArray(v) && !v.length),
        ),
      ) as unknown as PlacementRequestBody;
      const res = await options.client.place(body, credentials);
      if (res.blocking.length) {
        const fields = input.pool ? [] : blockingFields(input, res.excluded);
        throw new InputError(
          `${
            fields.length ? `${fields.join(', ')}: t` : 'T'
          }he model cannot be placed: ${res.blocking.join('; ')}`,
        );
      }
      const option = input.pool
        ? res.picked?.option
        : res.options.find(o => o.ref === res.recommended);
      if (!option) {
        throw new InputError('pool: no GPU pool fits the model');
      }
      const gpuMemoryGiB =
        Math.round((res.request.memoryMiB / 1024) * 100) / 100;
      const n = Math.max(replicas.min, 1);
      const summary = `${input.name} goes to ${option.title}: ${
        option.gpu.product
      } in ${option.region} (${
        option.capacityType
      }). Showback charges ${formatUsd(
        option.chargedMonthlyUsd,
      )} a month at ${n} replica(s), ${formatUsd(
        option.chargedMonthlyUsdAtMax,
      )} at ${replicas.max}; the cloud bill grows by ${formatUsd(
        option.monthlyUsd,
      )} (${formatUsd(option.monthlyUsdAtMax)} at ${
        replicas.max
      }). It needs ${gpuMemoryGiB} GiB of GPU memory per replica.`;
      ctx.logger.info(summary);
      ctx.output('pool', option.ref);
      ctx.output('poolTitle', option.title);
      ctx.output('cluster', option.cluster);
      ctx.output('region', option.region);
      ctx.output('provider', option.provider);
      ctx.output('capacityType', option.capacityType);
      ctx.output('gpuProduct', option.gpu.product);
      const sharing = await poolSharing(
        options.catalog,
        option.ref,
        credentials,
        ctx.logger,
      );
      if (sharing) ctx.output('gpuSharing', sharing);
      ctx.output('gpuMemoryGiB', gpuMemoryGiB);
      ctx.output('scheduling', option.scheduling);
      ctx.output('monthlyUsd', option.monthlyUsd);
      ctx.output('monthlyUsdAtMax', option.monthlyUsdAtMax);
      ctx.output('chargedMonthlyUsd', option.chargedMonthlyUsd);
      ctx.output('usdPerNodeHour', option.usdPerNodeHour);
      ctx.output('priceSource', option.priceSource);
      ctx.output('summary', summary);
    },
  });
}
