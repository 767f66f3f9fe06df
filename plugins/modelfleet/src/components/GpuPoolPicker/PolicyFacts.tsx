/** The owner team's policy in force for the placement: allowed GPUs, spot and budgets. */
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatUsd } from '../CostCommon/format';
import { Placement } from './value';

export const PolicyFacts = ({ placement }: { placement: Placement }) => {
  const { policy, request } = placement.response;
  const budget =
    policy.monthlyBudgetUsd === null
      ? 'no team budget'
      : `${formatUsd(policy.monthlyBudgetUsd)}/month${
          policy.teamForecastThisMonthUsd === null
            ? ''
            : `, ${formatUsd(
                policy.teamForecastThisMonthUsd,
              )} forecast for this month`
        }`;
  const facts: Array<[string, string]> = [
    ['Team', policy.team ?? 'none (fleet defaults apply)'],
    [
      'Allowed GPU types',
      policy.allowedGpuTypes?.length
        ? policy.allowedGpuTypes.join(', ')
        : 'any',
    ],
    ['Spot capacity', `${policy.spot} (requested: ${request.spot})`],
    ['Team budget', budget],
  ];
  if (request.monthlyBudgetUsd !== undefined) {
    facts.push([
      'Model budget',
      `${formatUsd(request.monthlyBudgetUsd)}/month`,
    ]);
  }
  return (
    <Box mb={2} data-testid="gpu-pool-policy">
      <Typography variant="subtitle2" component="h3">
        Policy in force
      </Typography>
      {facts.map(([label, value]) => (
        <Typography key={label} variant="body2">
          {label}: <strong>{value}</strong>
        </Typography>
      ))}
    </Box>
  );
};
