import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ActionEvent,
  DeploymentRequest,
  DeploymentResponse,
  FINAL_ACTION_STATES,
  KubeObject,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { formatManifestIssues, validateManifests } from '../manifests';
import {
  assertGroupInCatalog,
  entityRefString,
  numberIn,
  parseInput,
  scaffolderFields,
} from '../validation';
import { examples } from './deploy.examples';
import { callModelfleet } from './modelfleetApi';

const DEFAULT_TIMEOUT_SECONDS = 300;
const DEFAULT_POLL_MS = 2_000;

const principalOf = (c: BackstageCredentials) => {
  const p = c.principal as any;
  if (p.type === 'user') return p.userEntityRef as string;
  if (p.type === 'service') return `service:${p.subject}`;
  return 'none';
};

/** The most objects one deployment carries (the backend's limit too). */
const MAX_OBJECTS = 50;

const inputFields = {
  cluster: z
    .string({
      description: 'Cluster name, as the ModelFleet backend knows it',
    })
    .min(1)
    .max(253),
  namespace: z
    .string({ description: "The model's namespace" })
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label'),
  manifests: z
    .array(z.record(z.any()), {
      description:
        'Kubernetes objects, e.g. the output of modelfleet:manifests:render',
    })
    .min(1)
    .max(MAX_OBJECTS),
  // Checked here, so a bad ref is refused as `entityRef`, the field the
  // user gave, not as the backend's `model`.
  entityRef: entityRefString(
    'The Model entity, e.g. model:default/chat (the output of modelfleet:manifests:render)',
    'model:default/chat',
  ),
  owner: entityRefString(
    "Owner Group, used only while the Model is not yet in the catalog (a first deploy); after that the catalog's owner decides",
  ).optional(),
  dryRun: z
    .boolean({
      description: 'Only let the API server check the objects (default true)',
    })
    .optional(),
  reason: z
    .string({ description: 'Why, for people reading the action' })
    .max(500)
    .optional(),
  timeoutSeconds: numberIn(
    { min: 1, max: 3600, integer: true },
    'How long to follow the action before the step fails (default 300)',
  ).optional(),
};
const inputSchema = z.object(inputFields).strict();

/**
 * The Model `entityRef` names, and the objects, named after it (`chat`,
 * `chat-model-cache`) as the backend requires, or an InputError naming
 * `entityRef` and the objects' names: either may be the one that is wrong,
 * and the backend would name only its own `model` field.
 */
function assertNamedAfter(entityRef: string, objects: KubeObject[]) {
  const ref = parseEntityRef(entityRef, {
    defaultKind: 'model',
    defaultNamespace: 'default',
  });
  if (ref.kind.toLocaleLowerCase('en-US') !== 'model') {
    throw new InputError(`entityRef: must refer to a Model, not a ${ref.kind}`);
  }
  const others = objects.flatMap((o, i) =>
    o.metadata.name === ref.name || o.metadata.name.startsWith(`${ref.name}-`)
      ? []
      : [`manifests[${i}].metadata.name '${o.metadata.name.slice(0, 63)}'`],
  );
  if (others.length) {
    throw new InputError(
      `entityRef: the Model '${
        ref.name
      }' deploys only objects named after it (${ref.name} or ${
        ref.name
      }-…), not ${others.slice(0, 5).join(', ')}${
        others.length > 5 ? ` and ${others.length - 5} more` : ''
      }`,
    );
  }
}

const describeEvent = (e: ActionEvent) =>
  `${e.from ?? 'new'} → ${e.to}${
    e.step !== undefined ? ` (step ${e.step + 1})` : ''
  } by ${e.actor}: ${e.message}`;

/**
 * `modelfleet:deploy`: deploys a model's objects through the ModelFleet
 * backend (`POST /api/modelfleet/deployments`, on behalf of the user who
 * runs the template), which reaches the cluster only through its
 * `ClusterActuator`. The backend refuses what a model never needs
 * (objects outside its namespace, privileged or host-namespace pods,
 * hostPath volumes, kinds it does not render, denied namespaces such as
 * `kube-system`), needs `modelfleet.model.deploy` and membership of the
 * Model's owner team (as the catalog says) or of a platform team.
 *
 * Dry-run by default: the cluster's API server checks the objects and
 * stores nothing. With `dryRun: false` the backend stores a `deploy`
 * action; the step follows it until it is done (or fails, or times out),
 * and succeeds at once when the team's policy makes it wait for approval.
 * A real deploy is recorded as an auditor event `model-deploy`.
 *
 * The input is checked first (known keys only, a bounded timeout, an
 * `owner` that is a Group in the catalog); the backend checks the body
 * and the objects again.
 *
 * @public
 */
export function createDeployAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  auditor: AuditorService;
  catalog: CatalogService;
  /** Time between two looks at the action. Defaults to 2 s. */
  pollIntervalMs?: number;
}) {
  const pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
  return createTemplateAction({
    id: 'modelfleet:deploy',
    description:
      "Deploys a model's manifests to its cluster through the ModelFleet backend (server dry-run by default), refusing what a model never needs, guarded by modelfleet.model.deploy and the owner team, and audited.",
    examples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(inputFields),
      output: scaffolderFields({
        applied: z.boolean({ description: 'True when the action is done' }),
        actionId: z.string().optional(),
        state: z
          .string({ description: "The action's state when the step ended" })
          .optional(),
        waitingForApproval: z.boolean({
          description:
            "True when the team's policy is dry-run: the action waits for approval",
        }),
        results: z.array(
          z.object({
            kind: z.string(),
            name: z.string(),
            namespace: z.string().optional(),
            outcome: z.enum(['dry-run']),
          }),
        ),
        summary: z.string(),
      }),
    },
    async handler(ctx) {
      const input = parseInput(inputSchema, ctx.input);
      const { cluster, namespace, manifests, owner, entityRef } = input;
      const dryRun = ctx.isDryRun || input.dryRun !== false;
      const credentials = await ctx.getInitiatorCredentials();
      if (owner !== undefined) {
        await assertGroupInCatalog({
          catalog: options.catalog,
          credentials,
          field: 'owner',
          ref: owner,
        });
      }
      const objects = manifests.map((m, i) => {
        for (const key of ['apiVersion', 'kind'] as const) {
          if (typeof m[key] !== 'string' || !m[key]) {
            throw new InputError(`manifests[${i}].${key}: missing`);
          }
        }
        if (typeof m.metadata?.name !== 'string' || !m.metadata.name) {
          throw new InputError(`manifests[${i}].metadata.name: missing`);
        }
        return m as KubeObject;
      });
      assertNamedAfter(entityRef, objects);
      const problems = await validateManifests(objects);
      if (problems.length) {
        throw new InputError(
          `manifests: the Kubernetes schemas reject ${
            problems.length
          } field(s): ${formatManifestIssues(problems.slice(0, 5))}`,
        );
      }
      const describe = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
      const request: DeploymentRequest = {
        cluster,
        namespace,
        model: entityRef,
        ...(owner ? { owner } : {}),
        manifests: objects,
        dryRun,
        // One action per task step: a retried step finds its action again.
        idempotencyKey: `${ctx.task.id}:${ctx.step?.id ?? 'deploy'}`,
        ...(input.reason ? { reason: input.reason } : {}),
      };

      if (dryRun) {
        const body = await callModelfleet<DeploymentResponse>(
          options,
          credentials,
          '/deployments',
          { method: 'POST', body: request },
        );
        if (!('dryRun' in body)) {
          throw new Error(
            'The ModelFleet backend stored an action for a dry-run',
          );
        }
        const results = body.dryRun.objects.map(o => ({
          kind: o.kind,
          name: o.name,
          ...(o.namespace ? { namespace: o.namespace } : {}),
          outcome: 'dry-run' as const,
        }));
        for (const r of results) {
          ctx.logger.info(
            `Checked (server dry-run) ${r.kind}/${r.name} in ${cluster}/${
              r.namespace ?? '(cluster)'
            }`,
          );
        }
        const summary = `Dry-run: the API server of ${cluster} accepted ${results.length} object(s)`;
        ctx.logger.info(summary);
        ctx.output('applied', false);
        ctx.output('waitingForApproval', false);
        ctx.output('results', results);
        ctx.output('summary', summary);
        return;
      }

      const audit = await options.auditor.createEvent({
        eventId: 'model-deploy',
        severityLevel: 'medium',
        meta: {
          actor: principalOf(credentials),
          taskId: ctx.task.id,
          entityRef,
          cluster,
          namespace,
          objects: objects.map(describe),
        },
      });
      try {
        const body = await callModelfleet<DeploymentResponse>(
          options,
          credentials,
          '/deployments',
          { method: 'POST', body: request },
        );
        if (!('action' in body)) {
          throw new Error(
            'The ModelFleet backend answered a deploy with a dry-run',
          );
        }
        let action = body.action;
        ctx.logger.info(
          `ModelFleet action ${action.id} (${action.state}): ${action.steps
            .map(s => s.description)
            .join('; ')}`,
        );
        let logged = 0;
        const logEvents = (a: ModelFleetAction) => {
          const events = a.events ?? [];
          for (const e of events.slice(logged)) {
            if (e.outcome === 'failed' || e.outcome === 'retrying') {
              ctx.logger.warn(describeEvent(e));
            } else {
              ctx.logger.info(describeEvent(e));
            }
          }
          logged = Math.max(logged, events.length);
        };
        logEvents(action);

        const timeoutSeconds = input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
        const deadline = Date.now() + timeoutSeconds * 1000;
        const waiting = (a: ModelFleetAction) =>
          a.dryRun && a.state === 'planned';
        while (
          !FINAL_ACTION_STATES.includes(action.state) &&
          !waiting(action)
        ) {
          if (Date.now() >= deadline) {
            throw new Error(
              `ModelFleet action ${action.id} is still ${action.state} after ${timeoutSeconds} s; it goes on in the backend (see the Model page)`,
            );
          }
          // Stops early, with an AbortError, when the task is cancelled.
          await sleep(pollMs, undefined, { signal: ctx.signal });
          const polled = await callModelfleet<
            { action: ModelFleetAction } | ModelFleetAction
          >(options, credentials, `/actions/${encodeURIComponent(action.id)}`);
          action = 'action' in polled ? polled.action : polled;
          logEvents(action);
        }

        ctx.output('actionId', action.id);
        ctx.output('state', action.state);
        ctx.output('results', []);
        if (waiting(action)) {
          const summary = `ModelFleet action ${action.id} is planned and waits for approval: the owner team's policy is dry-run, so nothing changes on ${cluster} until someone with modelfleet.recommendation.apply approves it`;
          ctx.logger.info(summary);
          ctx.output('applied', false);
          ctx.output('waitingForApproval', true);
          ctx.output('summary', summary);
          await audit.success({
            meta: { outcome: 'waiting-for-approval', actionId: action.id },
          });
          return;
        }
        if (action.state !== 'done') {
          throw new Error(
            `ModelFleet action ${action.id} ended ${action.state}${
              action.lastError ? `: ${action.lastError}` : ''
            }`,
          );
        }
        ctx.output('applied', true);
        ctx.output('waitingForApproval', false);
        ctx.output(
          'summary',
          `Applied to ${cluster}: ${objects.length} object(s) (ModelFleet action ${action.id})`,
        );
        await audit.success({
          meta: { outcome: 'applied', actionId: action.id },
        });
      } catch (e) {
        await audit.fail({ error: e as Error });
        throw e;
      }
    },
  });
}
