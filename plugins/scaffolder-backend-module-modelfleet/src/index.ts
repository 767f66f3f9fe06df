/***/
/**
 * The modelfleet backend module for the scaffolder plugin.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModelfleet as default } from './module';
