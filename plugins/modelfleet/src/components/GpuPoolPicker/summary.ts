/** The picked placement in words, for the scaffolder's Review step: pool and cloud, memory fit, what the team pays, what the bill grows by, the policy checks. */
import type { PlacementOption } from '@modelfleet/plugin-modelfleet-common';
import { formatMiB, formatUsd } from '../CostCommon/format';
import { gib, plural, providerRegion } from './text';
import type { GpuPoolPickerSummary, Placement } from './value';

/** `$839.79 a month at 1 replica, $1,679.58 at 2`. */
function perMonth(atMin: number, atMax: number, min: number, max: number) {
  const first = `${formatUsd(atMin)} a month at ${plural(min, 'replica')}`;
  return max === min ? first : `${first}, ${formatUsd(atMax)} at ${max}`;
}

/** What the team's policy allowed of the option, each check in words. */
function policyChecks(placement: Placement, option: PlacementOption): string {
  const { policy, request } = placement.response;
  // `group:default/search-team` reads as `search-team`.
  const team = policy.team
    ? policy.team.replace(/^group:/, '').replace(/^default\//, '')
    : 'the team';
  const checks = [
    policy.allowedGpuTypes?.length
      ? `${option.gpu.product} is a GPU type ${team} allows`
      : 'any GPU type is allowed',
    option.capacityType === 'spot'
      ? `spot capacity is allowed (team: ${policy.spot}, model: ${request.spot})`
      : `${option.capacityType} capacity`,
  ];
  if (policy.monthlyBudgetUsd !== null) {
    checks.push(
      `within ${team}'s budget of ${formatUsd(
        policy.monthlyBudgetUsd,
      )} a month${
        policy.teamForecastThisMonthUsd === null
          ? ''
          : ` (${formatUsd(policy.teamForecastThisMonthUsd)} forecast)`
      }`,
    );
  }
  if (request.monthlyBudgetUsd !== undefined) {
    checks.push(
      `within the model's budget of ${formatUsd(
        request.monthlyBudgetUsd,
      )} a month`,
    );
  }
  if (request.regions?.length) {
    checks.push(`in an allowed region (${option.region})`);
  }
  return `All passed: ${checks.join('; ')}`;
}

/**
 * The placement of `pool` in words, or undefined when the answer has no
 * option for it.
 */
export function placementSummary(
  placement: Placement,
  pool: string | undefined,
): GpuPoolPickerSummary | undefined {
  const { response } = placement;
  const option = response.options.find(o => o.ref === pool);
  if (!option) return undefined;
  const min = Math.max(response.request.replicas?.min ?? 1, 1);
  const max = Math.max(response.request.replicas?.max ?? min, min);
  const needed = response.memory
    ? gib(response.memory.totalGiB)
    : formatMiB(response.request.memoryMiB);
  const gpus = response.request.gpusPerReplica;
  return {
    pool: `${option.title}: ${providerRegion(option)}${
      option.instanceType ? `, ${option.instanceType}` : ''
    }, ${option.gpu.product} × ${option.gpu.perNode} per node, ${
      option.capacityType
    }`,
    memory: `${needed} a replica${
      gpus > 1 ? ` over ${gpus} GPUs` : ''
    } fits: ${formatMiB(option.gpu.memoryMiB)} per GPU, ${plural(
      option.replicasPerNode,
      'replica',
    )} per node`,
    teamPays: perMonth(
      option.chargedMonthlyUsd,
      option.chargedMonthlyUsdAtMax,
      min,
      max,
    ),
    billGrows: `${perMonth(
      option.monthlyUsd,
      option.monthlyUsdAtMax,
      min,
      max,
    )}${
      option.monthlyUsd === 0
        ? ' (GPUs free on running nodes are paid for already)'
        : ''
    }`,
    policy: policyChecks(placement, option),
  };
}
