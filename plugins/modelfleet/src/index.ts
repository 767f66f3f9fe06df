/**
 * The ModelFleet frontend plugin: the ModelFleet page and the API client. The new
 * frontend system's plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */

export { modelfleetPlugin, ModelFleetPage } from './plugin';
export { rootRouteRef } from './routes';
export { modelfleetApiRef, ModelFleetClient } from './api';
export type { ModelFleetApi } from './api';
