/**
 * The ModelFleet backend plugin: REST API, store, engines and loops.
 *
 * @packageDocumentation
 */

export { modelfleetPlugin as default } from './plugin';
