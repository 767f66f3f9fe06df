/**
 * Parts of the ModelFleet backend for tools and tests, not yet stable: the
 * parser of `modelfleet.policies` and the service that answers which
 * policy applies to a team.
 *
 * @packageDocumentation
 */

export { POLICIES_KEY, readPolicyConfig } from './policy/policyConfig';
export type { PolicyConfig, PolicyLayer } from './policy/policyConfig';
export { PolicyService } from './policy/PolicyService';
