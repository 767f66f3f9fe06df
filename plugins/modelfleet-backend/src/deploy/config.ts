import { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { DEFAULT_DENIED_NAMESPACES } from '@modelfleet/plugin-modelfleet-common';

/** What `POST /deployments` reads from app-config, with defaults applied. */
export interface DeploySettings {
  /**
   * `kube-system`, `kube-public`, `kube-node-lease`, then
   * `modelfleet.deploy.deniedNamespaces`.
   */
  deniedNamespaces: string[];
  /**
   * `modelfleet.permissions.platformTeams`, as lower-case Group refs:
   * their members may deploy any team's model.
   */
  platformTeams: string[];
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$|^[a-z0-9][-a-z0-9]*\*$/;

/**
 * Reads `modelfleet.deploy.deniedNamespaces` and
 * `modelfleet.permissions.platformTeams`. The deny list extends the
 * built-in one: configuration can add namespaces, never let a model into
 * `kube-system`. Bad values stop the backend with the key and the reason.
 */
export function readDeploySettings(config: RootConfigService): DeploySettings {
  const extra =
    config.getOptionalStringArray('modelfleet.deploy.deniedNamespaces') ?? [];
  extra.forEach((ns, i) => {
    if (!NAMESPACE.test(ns)) {
      throw new Error(
        `modelfleet.deploy.deniedNamespaces[${i}]: '${ns}' is not a namespace name or a prefix ending in '*'`,
      );
    }
  });
  const teams =
    config.getOptionalStringArray('modelfleet.permissions.platformTeams') ?? [];
  const platformTeams = teams.map((team, i) => {
    let ref;
    try {
      ref = parseEntityRef(team, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
    } catch (e) {
      throw new Error(
        `modelfleet.permissions.platformTeams[${i}]: '${team}' is not an entity reference (${
          (e as Error).message
        })`,
      );
    }
    if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error(
        `modelfleet.permissions.platformTeams[${i}]: '${team}' must refer to a Group, not a ${ref.kind}`,
      );
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  });
  return {
    deniedNamespaces: [...new Set([...DEFAULT_DENIED_NAMESPACES, ...extra])],
    platformTeams,
  };
}
