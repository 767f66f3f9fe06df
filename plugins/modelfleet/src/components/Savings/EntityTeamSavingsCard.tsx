import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { modelfleetCostReadPermission } from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef, SavingsQuery } from '../../api';
import { CostsNotYours, ownerRefOf } from '../Access';
import { CardBody, WRAPPING_HEADER } from '../CostCommon';
import { formatDays } from './format';
import { SavingsBody } from './SavingsBody';

/** The ledger query of an entity page: a Group's team, else the entity. */
export function savingsScope(entity: {
  kind: string;
  metadata: { name: string; namespace?: string };
}): { ref: string; query: SavingsQuery } {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const ref = `${kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`;
  return { ref, query: kind === 'group' ? { team: ref } : { entity: ref } };
}

/**
 * What applied actions and hibernation saved a team (on its Group page),
 * against what its models would have cost without them, by month and by
 * action, over the backend's default period (this month and the two
 * before). Its costs are asked for only where the caller may read them
 * (`modelfleet.cost.read` on the group), as the cost cards do.
 */
export const EntityTeamSavingsCard = () => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const { ref, query } = savingsScope(entity);
  const owner = ownerRefOf(entity);
  const permission = usePermission({
    permission: modelfleetCostReadPermission,
    resourceRef: ref,
  });
  const { allowed } = permission;
  const read = useAsync(
    async () => (allowed ? api.getSavings(query) : undefined),
    [api, query.team, query.entity, allowed],
  );
  let body;
  if (allowed) {
    body = (
      <SavingsBody
        loading={read.loading}
        error={read.error}
        value={read.value}
        showTeam={false}
        owner={owner}
      />
    );
  } else if (permission.loading) {
    body = (
      <CardBody state="loading">
        <Progress />
      </CardBody>
    );
  } else {
    body = (
      <CardBody state="ready">
        <CostsNotYours owner={owner} />
      </CardBody>
    );
  }
  const ledger = allowed ? read.value : undefined;
  return (
    <InfoCard
      title="Realised savings"
      subheader={ledger ? formatDays(ledger.from, ledger.to) : undefined}
      headerStyle={WRAPPING_HEADER}
    >
      {body}
    </InfoCard>
  );
};
