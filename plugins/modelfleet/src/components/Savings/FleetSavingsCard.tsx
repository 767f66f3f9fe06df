import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { WRAPPING_HEADER } from '../CostCommon';
import { formatDays } from './format';
import { SavingsBody } from './SavingsBody';

/**
 * The Fleet page's savings ledger: what applied actions and hibernation
 * saved across the fleet, against what it would have cost without them,
 * by month and by action (with each action's team), over the backend's
 * default period. As for the fleet's cost, there is no entity to ask a
 * permission of: the backend answers with the models the caller may see
 * the costs of, or 403 (said plainly).
 */
export const FleetSavingsCard = () => {
  const api = useApi(modelfleetApiRef);
  const read = useAsync(() => api.getSavings(), [api]);
  return (
    <InfoCard
      title="Realised savings"
      subheader={
        read.value
          ? `${formatDays(
              read.value.from,
              read.value.to,
            )}: what applied actions and hibernation saved`
          : 'What applied actions and hibernation saved'
      }
      headerStyle={WRAPPING_HEADER}
      titleTypographyProps={{ component: 'h2' }}
    >
      <SavingsBody
        loading={read.loading}
        error={read.error}
        value={read.value}
        showTeam
        fleet
      />
    </InfoCard>
  );
};
