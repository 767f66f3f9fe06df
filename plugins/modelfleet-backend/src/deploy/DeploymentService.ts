import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DryRunObject,
  EffectivePolicyResponse,
  KubeObject,
  MODEL_DEPLOYMENT_KINDS,
  MODEL_KIND,
  MODEL_WORKLOAD_LABEL,
  modelfleetModelDeployPermission,
} from '@modelfleet/plugin-modelfleet-common';
import {
  ActuatorError,
  ClusterActuator,
} from '@modelfleet/plugin-modelfleet-node';
import { StoredAction } from '../database/ActionStore';
import { ActionRequester, ActuatorDirectory } from '../actions/types';
import { formatRefusals, guardDeployment } from '../engines/deploy/guard';
import { parseRequestedRef } from '../service/entityRefs';
import { DeploySettings } from './config';
import { parseDeploymentBody } from './request';

/** What `POST /deployments` did. */
export type DeploymentResult =
  | { type: 'action'; action: StoredAction; created: boolean }
  | { type: 'dryRun'; objects: DryRunObject[] };

/** The team policy a deployment runs under. */
export interface DeployPolicies {
  effective(team?: string): EffectivePolicyResponse;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** The Group a request names as `owner`, as a lower-case full ref. */
function groupRef(owner: string): string {
  const ref = parseRequestedRef(owner, 'owner', {
    defaultKind: 'group',
    defaultNamespace: 'default',
  });
  if (lower(ref.kind) !== 'group') {
    throw new InputError(
      `owner: '${owner}' must refer to a Group, not a ${ref.kind}`,
    );
  }
  return lower(stringifyEntityRef(ref));
}

/**
 * Deploys a model's objects to a cluster through its `ClusterActuator`.
 * It refuses what a model deployment never needs (see `guardDeployment`),
 * needs `modelfleet.model.deploy`, and lets only the Model's owner team
 * (as the catalog says, or as the request names it on a first deploy)
 * and the platform teams deploy it. A server dry-run answers with what the
 * API server says; a real deploy becomes a stored `deploy` action that a
 * runner applies, or that waits for approval when the team's policy is
 * dry-run.
 */
export class DeploymentService {
  constructor(
    private readonly options: {
      actuators: ActuatorDirectory;
      actions: ActionRequester;
      permissions: PermissionsService;
      catalog: CatalogService;
      /** For the one catalog read made as the plugin itself (see ownerOf). */
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      policies: DeployPolicies;
      settings: DeploySettings;
    },
  ) {}

  async deploy(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<DeploymentResult> {
    const request = parseDeploymentBody(body);
    const objects = request.manifests as KubeObject[];
    const entityRef = this.modelRef(request.model);
    // Checked before any lookup, though used only on a first deploy.
    if (request.owner !== undefined) groupRef(request.owner);

    const actuator = await this.actuatorOf(request.cluster);

    const name = parseEntityRef(entityRef).name;
    const refusals = guardDeployment({
      namespace: request.namespace,
      model: name,
      objects,
      allowedKinds: MODEL_DEPLOYMENT_KINDS,
      deniedNamespaces: this.options.settings.deniedNamespaces,
    });
    if (refusals.length) {
      throw new InputError(
        `manifests: refused, a model deployment never needs ${
          refusals.length === 1 ? 'this' : `these ${refusals.length} things`
        }: ${formatRefusals(refusals)}`,
      );
    }

    const user = this.userOf(credentials);
    const owner = await this.ownerOf(entityRef, request.owner, credentials);
    // The permission is on the Model, or on its owner Group while the
    // Model is not in the catalog yet (a first deploy).
    const existing = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    const [decision] = await this.options.permissions.authorize(
      [
        {
          permission: modelfleetModelDeployPermission,
          resourceRef: existing ? entityRef : owner,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${user} may not deploy ${entityRef} (permission ${modelfleetModelDeployPermission.name})`,
      );
    }
    await this.assertMember(user, owner, entityRef, credentials);
    await this.assertNotOthers(actuator, request.cluster, objects, name);

    if (request.dryRun) {
      return {
        type: 'dryRun',
        objects: await this.serverDryRun(actuator, request.cluster, objects),
      };
    }

    const policy = this.options.policies.effective(owner);
    const idempotencyKey = `deploy:${entityRef}:${request.idempotencyKey}`;
    const step = {
      description: `Apply ${objects.length} object(s) of ${name} to ${request.cluster}/${request.namespace} (server-side apply)`,
      do: { op: 'apply' as const, cluster: request.cluster, objects },
      // No undo: undoing an apply means putting back each object as it was
      // and deleting the ones that did not exist. The actuator cannot
      // delete, and re-applying an object as it was read (status,
      // managedFields and every other manager's fields included) with
      // forced server-side apply would take those fields over rather than
      // restore them. A failed deploy is rolled forward by deploying again.
    };
    const { action, created } = await this.options.actions.request({
      idempotencyKey,
      kind: 'deploy',
      entityRef,
      cluster: request.cluster,
      steps: [step],
      dryRun: policy.policy.dryRun,
      requestedBy: user,
      reason:
        request.reason?.trim() ||
        `deploy ${name} to ${request.cluster}/${request.namespace}`,
    });
    if (
      !created &&
      JSON.stringify(action.steps.map(s => s.do)) !== JSON.stringify([step.do])
    ) {
      throw new ConflictError(
        `idempotencyKey: '${request.idempotencyKey}' was used for another deployment of ${entityRef} (action ${action.id})`,
      );
    }
    return { type: 'action', action, created };
  }

  private modelRef(model: string): string {
    const ref = parseRequestedRef(model, 'model', {
      defaultKind: MODEL_KIND,
      defaultNamespace: 'default',
    });
    if (lower(ref.kind) !== lower(MODEL_KIND)) {
      throw new InputError(`model: '${model}' must refer to a Model`);
    }
    return lower(stringifyEntityRef(ref));
  }

  private async actuatorOf(cluster: string): Promise<ClusterActuator> {
    try {
      return await this.options.actuators.forCluster(cluster);
    } catch (e) {
      if (e instanceof ActuatorError && e.code === 'unknownCluster') {
        throw new InputError(`cluster: ${e.message}`);
      }
      throw e;
    }
  }

  private userOf(credentials: BackstageCredentials): string {
    const p = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (p.type === 'user' && p.userEntityRef) return lower(p.userEntityRef);
    throw new NotAllowedError(
      `a model is deployed on behalf of a person, whose teams decide; ${
        p.type === 'service' ? `service:${p.subject}` : 'the caller'
      } is not one`,
    );
  }

  /**
   * The owner Group whose policy applies: the catalog's, once the Model is
   * there (a caller-supplied owner is then ignored); the one the request
   * names on a first deploy (the template registers the Model after it
   * deploys), which must be a Group in the catalog. The Model is looked up
   * with the caller's credentials, and, when they do not find it, with the
   * plugin's own: a Model hidden from the caller is refused, not taken for
   * a first deploy.
   */
  private async ownerOf(
    entityRef: string,
    requested: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<string> {
    const { catalog } = this.options;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (entity) {
      const owner = ownerOfEntity(entity);
      if (!owner) {
        throw new NotAllowedError(
          `${entityRef} has no owner Group in the catalog, so no team may deploy it`,
        );
      }
      return owner;
    }
    // A Model the caller may not see is not a first deploy: naming an
    // owner must not take over a model that exists.
    const hidden = await catalog.getEntityByRef(entityRef, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (hidden) {
      throw new NotAllowedError(
        `${entityRef} is in the catalog but not visible to the caller, so it may not be deployed by them`,
      );
    }
    if (!requested) {
      throw new InputError(
        `owner: ${entityRef} is not in the catalog yet, so the request must name its owner Group`,
      );
    }
    const owner = groupRef(requested);
    if (!(await catalog.getEntityByRef(owner, { credentials }))) {
      throw new InputError(`owner: ${owner} is not in the catalog`);
    }
    return owner;
  }

  /** The caller must belong to the owner team or to a platform team. */
  private async assertMember(
    user: string,
    owner: string,
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const { platformTeams } = this.options.settings;
    const entity = await this.options.catalog.getEntityByRef(user, {
      credentials,
    });
    const groups = new Set(
      (entity?.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => lower(r.targetRef)),
    );
    if (groups.has(owner) || platformTeams.some(t => groups.has(t))) return;
    const platform = platformTeams.length
      ? `nor of a platform team (${platformTeams.join(', ')})`
      : 'and no platform team is configured (modelfleet.permissions.platformTeams)';
    throw new NotAllowedError(
      `${user} may not deploy ${entityRef}: ${
        entity
          ? 'not a member'
          : 'no User entity in the catalog, so not a member'
      } of its owner ${owner} ${platform}`,
    );
  }

  /**
   * Refuses to overwrite an object on the cluster that another model's
   * deployment made (its `modelfleet.io/model` label names another model),
   * e.g. a Service of the same name in a shared namespace. Objects without
   * the label (made by hand) are taken over, as server-side apply would.
   */
  private async assertNotOthers(
    actuator: ClusterActuator,
    cluster: string,
    objects: KubeObject[],
    model: string,
  ): Promise<void> {
    const taken: string[] = [];
    for (const o of objects) {
      let current: KubeObject | undefined;
      try {
        current = await actuator.get(cluster, {
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace: o.metadata.namespace,
          name: o.metadata.name,
        });
      } catch (e) {
        if (!(e instanceof ActuatorError)) throw e;
        throw new ServiceUnavailableError(
          `${cluster}: ${o.kind}/${o.metadata.name} could not be read to check which model it belongs to (${e.code}): ${e.message}`,
        );
      }
      const owner = current?.metadata.labels?.[MODEL_WORKLOAD_LABEL];
      if (owner !== undefined && owner !== model) {
        taken.push(
          `${o.kind}/${o.metadata.name} in ${cluster}/${o.metadata.namespace} belongs to model '${owner}'`,
        );
      }
    }
    if (taken.length) {
      throw new ConflictError(
        `manifests: would overwrite another model's objects: ${taken.join(
          '; ',
        )}`,
      );
    }
  }

  private async serverDryRun(
    actuator: ClusterActuator,
    cluster: string,
    objects: KubeObject[],
  ): Promise<DryRunObject[]> {
    try {
      const applied = await actuator.apply(cluster, objects, { dryRun: true });
      return applied.map(a => ({
        kind: a.kind,
        name: a.name,
        ...(a.namespace ? { namespace: a.namespace } : {}),
        object: a.object,
      }));
    } catch (e) {
      if (!(e instanceof ActuatorError)) throw e;
      if (e.code === 'invalid' || e.code === 'notFound') {
        throw new InputError(`manifests: the API server refused: ${e.message}`);
      }
      if (e.code === 'unknownCluster') {
        throw new InputError(`cluster: ${e.message}`);
      }
      throw new ServiceUnavailableError(
        `${cluster}: the server dry-run did not complete (${e.code}${
          e.retryable ? ', worth retrying' : ''
        }): ${e.message}`,
      );
    }
  }
}

/** The owner Group of an entity, by its ownedBy relation or spec.owner. */
function ownerOfEntity(entity: Entity): string | undefined {
  const rel = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  const raw =
    rel?.targetRef ??
    (typeof entity.spec?.owner === 'string' ? entity.spec.owner : undefined);
  if (!raw) return undefined;
  try {
    const ref = parseEntityRef(raw, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    return lower(ref.kind) === 'group'
      ? lower(stringifyEntityRef(ref))
      : undefined;
  } catch {
    return undefined;
  }
}
