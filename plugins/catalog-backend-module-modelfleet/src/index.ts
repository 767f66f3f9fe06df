/***/
/**
 * The modelfleet backend module for the catalog plugin.
 *
 * @packageDocumentation
 */

export { catalogModuleModelfleet as default } from './module';
