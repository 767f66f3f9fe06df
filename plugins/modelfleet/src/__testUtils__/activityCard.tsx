import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { PermissionApi } from '@backstage/plugin-permission-react';
import { renderInTestApp } from '@backstage/test-utils';
import { ModelFleetApi } from '../api';
import { EntityModelActivityCard } from '../components/EntityModelActivityCard';
import { PollIntervals } from '../components/EntityModelActivityCard/useModelActivity';
import { Authorize, CardApis } from './permissions';

/** The Model entity of the activity card tests. */
export const activityModel = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-chat', namespace: 'search' },
  spec: { owner: 'group:default/search-team' },
};

/** Its namespace and name, as the model routes take them. */
export const activityModelRef = {
  namespace: 'search',
  name: 'llama-3-1-8b-chat',
};

/** No poll fires during a test unless it asks for one. */
export const NO_POLLS: PollIntervals = { activeMs: 600_000, idleMs: 600_000 };

/**
 * Renders the activity card of {@link activityModel} with `api`, for a
 * caller the permission framework answers `authorize` (allowed by default).
 */
export async function renderActivityCard(
  api: ModelFleetApi,
  pollIntervals: PollIntervals = NO_POLLS,
  permissions: { authorize?: Authorize; permissionApi?: PermissionApi } = {},
) {
  return renderInTestApp(
    <CardApis api={api} {...permissions}>
      <EntityProvider entity={activityModel}>
        <EntityModelActivityCard pollIntervals={pollIntervals} />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
