import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  formatUsd,
  PlacementRequestBody,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
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

/**
 * `modelfleet:placement:recommend`: asks the placement engine where a model
 * goes, checks the picked pool against the owner team's policy and budget,
 * and outputs what the manifests need (scheduling, GPU resource) and what it
 * costs. A blocked request (policy, budget, nothing fits) fails the step
 * with the reasons. Read-only, so it runs in dry-run too.
 *
 * @public
 */
export function createRecommendPlacementAction(options: {
  client: PlacementClient;
}) {
  return createTemplateAction({
    id: 'modelfleet:placement:recommend',
    description:
      'Finds the cheapest GPU pool that fits a model under its team policy and budget (or checks the picked one), and outputs its scheduling, GPU resource and monthly cost.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Model name (DNS label)' }),
        owner: z =>
          z.string({ description: 'Owner Group entity ref' }).optional(),
        runtime: z =>
          z
            .enum(['vllm', 'tgi', 'triton'], { description: 'Serving runtime' })
            .optional(),
        parametersBillions: z =>
          z.number({ description: 'Parameter count, billions' }).optional(),
        precision: z =>
          z
            .enum(['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'int4'], {
              description: 'Precision of the served weights',
            })
            .optional(),
        memoryMiB: z =>
          z
            .number({
              description:
                'GPU memory per replica, MiB (instead of parameters and precision)',
            })
            .optional(),
        gpusPerReplica: z =>
          z.number({ description: 'GPUs per replica (default 1)' }).optional(),
        replicas: z =>
          z.object(
            { min: z.number(), max: z.number() },
            { description: 'Replicas, min and max' },
          ),
        traffic: z =>
          z
            .enum(['always-on', 'business-hours', 'sporadic'], {
              description: 'Traffic pattern',
            })
            .optional(),
        spot: z =>
          z
            .enum(['forbid', 'allow', 'require'], {
              description: 'Spot tolerance',
            })
            .optional(),
        regions: z =>
          z
            .array(z.string(), {
              description: 'Allowed regions (any if empty)',
            })
            .optional(),
        gpuTypes: z =>
          z
            .array(z.string(), { description: 'Wanted GPU products' })
            .optional(),
        monthlyBudgetUsd: z =>
          z.number({ description: 'Monthly budget, USD' }).optional(),
        pool: z =>
          z
            .string({
              description:
                'The GpuPool entity ref picked; the cheapest allowed pool when absent',
            })
            .optional(),
      },
      output: {
        pool: z => z.string({ description: 'GpuPool entity ref' }),
        poolTitle: z => z.string(),
        cluster: z => z.string(),
        region: z => z.string(),
        provider: z => z.string(),
        capacityType: z => z.string(),
        gpuProduct: z => z.string(),
        gpuMemoryGiB: z =>
          z.number({ description: 'GPU memory per replica the model needs' }),
        scheduling: z =>
          z.object({
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
        monthlyUsd: z =>
          z.number({
            description: 'What the cloud bill grows by a month (nodes added)',
          }),
        monthlyUsdAtMax: z => z.number(),
        chargedMonthlyUsd: z =>
          z.number({ description: 'What showback charges the team a month' }),
        usdPerNodeHour: z => z.number(),
        priceSource: z => z.string(),
        summary: z => z.string(),
      },
    },
    async handler(ctx) {
      const { replicas, ...rest } = ctx.input;
      const body = Object.fromEntries(
        Object.entries({ ...rest, replicas }).filter(
          ([, v]) =>
            v !== undefined && v !== '' && !(Array.isArray(v) && !v.length),
        ),
      ) as unknown as PlacementRequestBody;
      const credentials = await ctx.getInitiatorCredentials();
      const res = await options.client.place(body, credentials);
      if (res.blocking.length) {
        throw new InputError(
          `The model cannot be placed: ${res.blocking.join('; ')}`,
        );
      }
      const option = ctx.input.pool
        ? res.picked?.option
        : res.options.find(o => o.ref === res.recommended);
      if (!option) {
        throw new InputError('pool: no GPU pool fits the model');
      }
      const gpuMemoryGiB =
        Math.round((res.request.memoryMiB / 1024) * 100) / 100;
      const n = Math.max(replicas.min, 1);
      const summary = `${ctx.input.name} goes to ${option.title}: ${
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
