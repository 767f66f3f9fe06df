import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  installManifests,
  manifestFiles,
  readManifests,
  TokenUser,
} from './rbac';
import { ObjectStore } from './store';
import { KubeObject } from './objects';

/** The user of ModelFleet's service account, as the shipped RBAC binds it. */
export const MODELFLEET_USER =
  'system:serviceaccount:modelfleet:modelfleet-backend';

/** The bearer token of ModelFleet's service account in the simulator, by default. */
export const DEFAULT_MODELFLEET_TOKEN = 'modelfleet-sim-token';

/** A token of a cluster administrator (`system:masters`), by default. */
export const DEFAULT_ADMIN_TOKEN = 'sim-admin-token';

/** The simulator's tokens unless told otherwise. */
export const DEFAULT_TOKENS: Record<string, TokenUser> = {
  [DEFAULT_MODELFLEET_TOKEN]: MODELFLEET_USER,
  [DEFAULT_ADMIN_TOKEN]: { user: 'sim-admin', groups: ['system:masters'] },
};

/** `deploy/rbac/` of the repository: the RBAC manifests ModelFleet ships. */
export function defaultRbacDir(): string {
  return resolvePackagePath(
    '@modelfleet/plugin-modelfleet-backend-module-demo',
    '..',
    '..',
    'deploy',
    'rbac',
  );
}

/** Namespaces every cluster has. */
export const SYSTEM_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
];

/**
 * Fills a new store as a new cluster: its system namespaces, the model
 * namespaces, and the RBAC manifests (from `rbacDir`, `deploy/rbac/` by
 * default), with the Role and RoleBinding templates bound in each model
 * namespace.
 */
export function bootstrapStore(
  store: ObjectStore,
  options: {
    modelNamespaces: string[];
    rbacDir?: string;
    manifests?: KubeObject[];
  },
): void {
  const nsType = store.type('v1', 'Namespace');
  for (const ns of [...SYSTEM_NAMESPACES, ...options.modelNamespaces]) {
    store.apply(
      nsType,
      undefined,
      ns,
      { apiVersion: 'v1', kind: 'Namespace' },
      {
        manager: 'kube-apiserver',
      },
    );
  }
  const manifests =
    options.manifests ??
    readManifests(manifestFiles(options.rbacDir ?? defaultRbacDir()));
  installManifests(store, manifests, options.modelNamespaces);
}
