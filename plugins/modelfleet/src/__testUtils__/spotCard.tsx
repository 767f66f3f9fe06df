import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { within } from '@testing-library/react';
import {
  ModelFleetAction,
  ModelServing,
} from '@modelfleet/plugin-modelfleet-common';
import { ActionsQuery, ModelFleetApi } from '../api';
import { EntityModelSpotCard } from '../components/EntityModelSpotCard';
import { arbitrageReport } from './arbitrageFixtures';
import { mockModelFleetApi } from './fixtures';
import { Authorize, CardApis } from './permissions';

/** The Model entity of the spot card tests. */
const spotModel = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-chat', namespace: 'search' },
  spec: { owner: 'group:default/search-team' },
};

/**
 * Renders the spot card of the test model with `api`, for a caller the
 * permission framework answers `authorize` (allowed by default); no poll
 * fires unless `pollMs` asks for one.
 */
export async function renderSpotCard(
  api: ModelFleetApi,
  options: { authorize?: Authorize; pollMs?: number } = {},
) {
  return renderInTestApp(
    <CardApis api={api} authorize={options.authorize}>
      <EntityProvider entity={spotModel}>
        <EntityModelSpotCard pollMs={options.pollMs ?? 600_000} />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** An API whose what-if report has `served`, and the model's actions by kind. */
export const spotApi = (
  served: ModelServing | undefined,
  actions: { fallbacks?: ModelFleetAction[]; moves?: ModelFleetAction[] } = {},
) =>
  mockModelFleetApi({
    getModelArbitrage: jest.fn(async () =>
      arbitrageReport({ serving: served }),
    ),
    listActions: jest.fn(async (q: ActionsQuery) => ({
      actions:
        q.kind === 'migrate' ? actions.moves ?? [] : actions.fallbacks ?? [],
    })),
  });

/** The text of each cell of a table row. */
export const cellsOf = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);
