import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { EffectivePolicyResponse } from '@modelfleet/plugin-modelfleet-common';
import { parseRequestedRef } from '../service/entityRefs';
import { effectivePolicy } from './effectivePolicy';
import { PolicyConfig } from './policyConfig';

/**
 * Answers which rules apply to a team. Teams are configured by Group name
 * (`modelfleet.policies.teams.<name>`) in the default namespace.
 *
 * @alpha
 */
export class PolicyService {
  constructor(private readonly config: PolicyConfig) {}

  /** The configured team names. */
  teams(): string[] {
    return Object.keys(this.config.teams ?? {});
  }

  /**
   * Whether the team's actions wait for approval (its `dryRun`); the
   * defaults' when the owner is not a Group the policy knows.
   */
  dryRunOf(teamRef?: string): boolean {
    try {
      return this.effective(teamRef || undefined).policy.dryRun;
    } catch {
      return this.effective().policy.dryRun;
    }
  }

  /** @param team - a Group name or entity ref, or undefined for the defaults */
  effective(team?: string): EffectivePolicyResponse {
    if (team === undefined) {
      return { team: null, ...effectivePolicy(this.config, null) };
    }
    // Checked for the characters entity refs allow: a caller may look the
    // ref up in the catalog next (placement checks the owner exists).
    const ref = parseRequestedRef(team, 'team', {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new InputError(
        `team: '${team}' must refer to a Group, not a ${ref.kind}`,
      );
    }
    const name = ref.namespace === 'default' ? ref.name : null;
    return {
      team: stringifyEntityRef(ref),
      ...effectivePolicy(this.config, name),
    };
  }
}
