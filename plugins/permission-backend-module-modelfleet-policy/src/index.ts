/**
 * ModelFleet's permission policy, as a permission backend module.
 *
 * @packageDocumentation
 */

export { permissionModuleModelfleetPolicy as default } from './module';
export {
  ModelFleetPermissionPolicy,
  readPlatformTeams,
} from './ModelFleetPermissionPolicy';
