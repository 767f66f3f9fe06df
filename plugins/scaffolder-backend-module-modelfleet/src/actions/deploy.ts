import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EffectivePolicyResponse,
  modelfleetModelDeployPermission,
} from '@modelfleet/plugin-modelfleet-common';
import {
  kubeConfigFor,
  readKubernetesClusterConfigs,
} from '@modelfleet/plugin-modelfleet-backend-module-kubernetes';
import {
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { formatManifestIssues, validateManifests } from '../manifests';
import { examples } from './deploy.examples';
import { callModelfleet } from './modelfleetApi';

/** Reads whether a team's policy lets ModelFleet change clusters. */
export interface DeployPolicyClient {
  /** True when the team's effective policy is dry-run only. */
  dryRunOnly(
    team: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<{ dryRun: boolean; source: string }>;
}

type Outcome = 'applied' | 'dry-run' | 'validated-offline';

const principalOf = (c: BackstageCredentials) => {
  const p = c.principal as any;
  if (p.type === 'user') return p.userEntityRef as string;
  if (p.type === 'service') return `service:${p.subject}`;
  return 'none';
};

/**
 * `modelfleet:deploy`: applies rendered manifests to the cluster of the
 * chosen pool with server-side apply. Dry-run by default: against a
 * connected cluster the API server checks the objects without storing
 * them; a cluster with no connection (the simulated demo fleet) is checked
 * offline against the Kubernetes schemas. Applying for real needs the
 * `modelfleet.model.deploy` permission and a team policy that is not
 * dry-run only, and is recorded as an audit event.
 *
 * @public
 */
export function createDeployAction(options: {
  config: RootConfigService;
  permissions: PermissionsService;
  auditor: AuditorService;
  policies: DeployPolicyClient;
}) {
  return createTemplateAction({
    id: 'modelfleet:deploy',
    description:
      "Applies a model's manifests to its cluster with server-side apply (dry-run by default), guarded by the modelfleet.model.deploy permission and the team policy, and audited.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z.string({
            description: 'Cluster name, as in kubernetes.clusterLocatorMethods',
          }),
        namespace: z =>
          z.string({ description: 'Namespace of the namespaced objects' }),
        manifests: z =>
          z.array(z.record(z.any()), {
            description:
              'Kubernetes objects, e.g. the output of modelfleet:manifests:render',
          }),
        owner: z =>
          z
            .string({ description: 'Owner Group; its policy applies' })
            .optional(),
        entityRef: z =>
          z
            .string({ description: 'The Model entity, for the audit record' })
            .optional(),
        dryRun: z =>
          z
            .boolean({
              description: 'Only check the objects (default true)',
            })
            .optional(),
      },
      output: {
        applied: z => z.boolean(),
        results: z =>
          z.array(
            z.object({
              kind: z.string(),
              name: z.string(),
              namespace: z.string().optional(),
              outcome: z.enum(['applied', 'dry-run', 'validated-offline']),
            }),
          ),
        summary: z => z.string(),
      },
    },
    async handler(ctx) {
      const { cluster, namespace, manifests, owner, entityRef } = ctx.input;
      const dryRun = ctx.isDryRun || ctx.input.dryRun !== false;
      const credentials = await ctx.getInitiatorCredentials();
      const objects = manifests.map((m, i) => {
        for (const key of ['apiVersion', 'kind'] as const) {
          if (typeof m[key] !== 'string' || !m[key]) {
            throw new InputError(`manifests[${i}].${key}: missing`);
          }
        }
        if (typeof m.metadata?.name !== 'string' || !m.metadata.name) {
          throw new InputError(`manifests[${i}].metadata.name: missing`);
        }
        return m as KubernetesObject;
      });
      const problems = await validateManifests(objects);
      if (problems.length) {
        throw new InputError(
          `manifests: the Kubernetes schemas reject ${
            problems.length
          } field(s): ${formatManifestIssues(problems.slice(0, 5))}`,
        );
      }
      const clusters = readKubernetesClusterConfigs(options.config);
      const target = clusters.find(c => c.name === cluster);
      const describe = (o: KubernetesObject) => `${o.kind}/${o.metadata!.name}`;

      const audit = dryRun
        ? undefined
        : await options.auditor.createEvent({
            eventId: 'model-deploy',
            severityLevel: 'medium',
            meta: {
              actor: principalOf(credentials),
              taskId: ctx.task.id,
              ...(entityRef ? { entityRef } : {}),
              cluster,
              namespace,
              objects: objects.map(describe),
            },
          });
      try {
        let results: Array<{
          kind: string;
          name: string;
          namespace?: string;
          outcome: Outcome;
        }>;
        if (!dryRun) {
          const [decision] = await options.permissions.authorize(
            [{ permission: modelfleetModelDeployPermission }],
            { credentials },
          );
          if (decision.result !== AuthorizeResult.ALLOW) {
            throw new NotAllowedError(
              `${principalOf(
                credentials,
              )} may not apply models to clusters (permission modelfleet.model.deploy)`,
            );
          }
          const policy = await options.policies.dryRunOnly(owner, credentials);
          if (policy.dryRun) {
            throw new NotAllowedError(
              `The policy of ${owner ?? 'the default team'} is dry-run only (${
                policy.source
              }): nothing was applied`,
            );
          }
          if (!target) {
            throw new InputError(
              `cluster: '${cluster}' has no connection in kubernetes.clusterLocatorMethods, so nothing can be applied to it`,
            );
          }
        }
        if (!target) {
          results = objects.map(o => ({
            kind: o.kind!,
            name: o.metadata!.name!,
            ...(o.metadata?.namespace
              ? { namespace: o.metadata.namespace }
              : {}),
            outcome: 'validated-offline',
          }));
          const summary = `${cluster} has no Kubernetes connection (a simulated cluster): ${objects.length} object(s) checked offline against the Kubernetes schemas, nothing sent`;
          ctx.logger.info(summary);
          ctx.output('applied', false);
          ctx.output('results', results);
          ctx.output('summary', summary);
          return;
        }
        const client = KubernetesObjectApi.makeApiClient(kubeConfigFor(target));
        results = [];
        for (const o of objects) {
          const obj = {
            ...o,
            metadata: {
              ...o.metadata,
              ...(isClusterScoped(o)
                ? {}
                : { namespace: o.metadata?.namespace ?? namespace }),
            },
          };
          const apply = async () => {
            await client.patch(
              obj,
              undefined,
              dryRun ? 'All' : undefined,
              'modelfleet',
              true,
              PatchStrategy.ServerSideApply,
            );
            return true;
          };
          if (dryRun) {
            await apply();
          } else {
            // Server-side apply is idempotent; the checkpoint keeps a retried
            // task from applying an object twice.
            const digest = createHash('sha256')
              .update(JSON.stringify(obj))
              .digest('hex')
              .slice(0, 16);
            await ctx.checkpoint({
              key: `apply.${cluster}.${describe(obj)}.${digest}`,
              fn: apply,
            });
          }
          ctx.logger.info(
            `${dryRun ? 'Checked (server dry-run)' : 'Applied'} ${describe(
              obj,
            )} in ${cluster}/${obj.metadata.namespace ?? '(cluster)'}`,
          );
          results.push({
            kind: obj.kind!,
            name: obj.metadata.name!,
            ...(obj.metadata.namespace
              ? { namespace: obj.metadata.namespace }
              : {}),
            outcome: dryRun ? 'dry-run' : 'applied',
          });
        }
        const summary = `${
          dryRun ? 'Dry-run: the API server of' : 'Applied to'
        } ${cluster} ${dryRun ? 'accepted' : ''} ${
          objects.length
        } object(s)`.replace(/\s+/g, ' ');
        ctx.output('applied', !dryRun);
        ctx.output('results', results);
        ctx.output('summary', summary);
        await audit?.success({ meta: { outcome: 'applied' } });
      } catch (e) {
        await audit?.fail({ error: e as Error });
        throw e;
      }
    },
  });
}

function isClusterScoped(o: KubernetesObject): boolean {
  return ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind!);
}

/** A {@link DeployPolicyClient} reading `GET /api/modelfleet/policies/effective`. */
export function createDeployPolicyClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): DeployPolicyClient {
  return {
    async dryRunOnly(team, credentials) {
      const body = await callModelfleet<EffectivePolicyResponse>(
        options,
        credentials,
        `/policies/effective${team ? `?team=${encodeURIComponent(team)}` : ''}`,
      );
      const source = body.sources.dryRun ?? 'builtin';
      return {
        dryRun: body.policy.dryRun,
        source:
          source === 'builtin'
            ? "ModelFleet's default"
            : `app-config ${source}`,
      };
    },
  };
}
