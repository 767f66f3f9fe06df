import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Route of the ModelFleet page.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'modelfleet' });
