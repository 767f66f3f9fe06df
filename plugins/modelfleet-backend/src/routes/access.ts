import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** A ModelFleet permission on a catalog entity. */
export type EntityPermission = ResourcePermission<'catalog-entity'>;

/**
 * The refs among `entityRefs` on which `permission` is allowed: one batched
 * question to the permission framework, whose conditional decisions the
 * catalog evaluates against each entity. An unconditional decision answers
 * for all without asking per entity.
 */
export async function allowedRefs(
  permissions: PermissionsService,
  permission: EntityPermission,
  entityRefs: Iterable<string>,
  credentials: BackstageCredentials,
): Promise<Set<string>> {
  const refs = [...new Set(entityRefs)];
  if (!refs.length) return new Set();
  const [overall] = await permissions.authorizeConditional([{ permission }], {
    credentials,
  });
  if (overall.result === AuthorizeResult.ALLOW) return new Set(refs);
  if (overall.result === AuthorizeResult.DENY) return new Set();
  const decisions = await permissions.authorize(
    refs.map(resourceRef => ({ permission, resourceRef })),
    { credentials },
  );
  return new Set(
    refs.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW),
  );
}

/** Whether `permission` is allowed on one entity, without throwing. */
export async function isAllowedOn(
  permissions: PermissionsService,
  permission: EntityPermission,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<boolean> {
  const [d] = await permissions.authorize(
    [{ permission, resourceRef: entityRef }],
    { credentials },
  );
  return d.result === AuthorizeResult.ALLOW;
}

/** Allows `permission` on one entity, or throws NotAllowedError naming both. */
export async function authorizeOn(
  permissions: PermissionsService,
  permission: EntityPermission,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<void> {
  if (!(await isAllowedOn(permissions, permission, entityRef, credentials))) {
    throw new NotAllowedError(
      `${permission.name} is not allowed on ${entityRef}`,
    );
  }
}
