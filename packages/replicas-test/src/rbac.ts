import { ModelInfo } from './actions';
import { Check, RunContext } from './context';
import {
  ADMIN_TOKEN,
  CLUSTERS,
  clusterUrl,
  PROBE_MODEL,
  SA_TOKEN,
  Settings,
} from './environment';
import { request } from './http';

const probeDeployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: PROBE_MODEL.deployment,
    namespace: PROBE_MODEL.namespace,
    labels: { app: PROBE_MODEL.deployment },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: PROBE_MODEL.deployment } },
    template: {
      metadata: { labels: { app: PROBE_MODEL.deployment } },
      spec: {
        containers: [{ name: 'probe', image: 'registry.k8s.io/pause:3.9' }],
      },
    },
  },
});

/** Creates, as a cluster admin, the workload of the probe Model in kube-system. */
export async function createProbeWorkload(s: Settings): Promise<void> {
  const i = CLUSTERS.findIndex(c => c.name === PROBE_MODEL.cluster);
  const r = await request(
    `${clusterUrl(s, i)}/apis/apps/v1/namespaces/${
      PROBE_MODEL.namespace
    }/deployments`,
    { method: 'POST', token: ADMIN_TOKEN, body: probeDeployment() },
  );
  if (r.status !== 201) {
    throw new Error(
      `creating the probe Deployment in ${PROBE_MODEL.namespace}: ${
        r.status
      } ${JSON.stringify(r.body).slice(0, 300)}`,
    );
  }
}

/**
 * Least privilege: the simulator enforces `deploy/rbac/` for ModelFleet's
 * service account. Writes outside what ModelFleet may write are refused
 * with Kubernetes' 403 message, directly and through an action (a Model
 * whose workload is in kube-system), and nothing there changes.
 */
export async function rbacPhase(
  ctx: RunContext,
  modelNamespaceModel: ModelInfo,
): Promise<Check[]> {
  const s = ctx.settings;
  const checks: Check[] = [];
  const check = (name: string, pass: boolean, detail: string) =>
    checks.push({ phase: 'rbac', name, pass, detail });
  const aws = CLUSTERS.findIndex(c => c.name === PROBE_MODEL.cluster);
  const url = clusterUrl(s, aws);

  const refused = async (
    name: string,
    method: string,
    path: string,
    body: unknown,
    expected: RegExp,
    contentType?: string,
  ) => {
    const r = await request(`${url}${path}`, {
      method,
      token: SA_TOKEN,
      body,
      contentType,
    });
    const message = String(r.body?.message ?? r.body);
    check(
      name,
      r.status === 403 && expected.test(message),
      `${method} ${path}: ${r.status} ${message.slice(0, 240)}`,
    );
  };

  await refused(
    'no Deployment in kube-system',
    'POST',
    '/apis/apps/v1/namespaces/kube-system/deployments',
    { ...probeDeployment(), metadata: { name: 'x', namespace: 'kube-system' } },
    /cannot create resource "deployments" in API group "apps" in the namespace "kube-system"/,
  );
  await refused(
    'no ClusterRole',
    'POST',
    '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'modelfleet-escalate' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    /cannot create resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope/,
  );
  const m = modelNamespaceModel;
  await refused(
    'no delete in a model namespace',
    'DELETE',
    `/apis/apps/v1/namespaces/${m.namespace}/deployments/${m.name}`,
    undefined,
    /cannot delete resource "deployments"/,
  );
  await refused(
    'no Secret in a model namespace',
    'PATCH',
    `/api/v1/namespaces/${m.namespace}/secrets/stolen?fieldManager=modelfleet`,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'stolen' } },
    /cannot patch resource "secrets"/,
    'application/apply-patch+yaml',
  );

  // Through ModelFleet: the action fails closed, with the reason.
  const probe: ModelInfo = {
    name: PROBE_MODEL.name,
    cluster: PROBE_MODEL.cluster,
    clusterIndex: aws,
    namespace: PROBE_MODEL.namespace,
    initialReplicas: 1,
    hasAutoscaler: false,
  };
  const t = await ctx.driver.request(probe, 'scale', { replicas: 2 }, 'rbac');
  const a = t && (await ctx.driver.waitFinal(t, 60_000));
  let seen = 'the scale was refused by the backend';
  if (a) seen = `${a.state}; lastError: ${(a.lastError ?? '').slice(0, 300)}`;
  else if (t) seen = `${t.id} not final after 60 s`;
  check(
    'an action writing in kube-system fails closed with the reason',
    Boolean(
      a &&
        ['failed', 'rolledBack'].includes(a.state) &&
        /forbidden/.test(a.lastError ?? '') &&
        /kube-system/.test(a.lastError ?? ''),
    ),
    seen,
  );
  const scale = await request(
    `${url}/apis/apps/v1/namespaces/${PROBE_MODEL.namespace}/deployments/${PROBE_MODEL.deployment}`,
    { token: ADMIN_TOKEN },
  );
  check(
    'kube-system unchanged',
    scale.status === 200 && scale.body?.spec?.replicas === 1,
    `the probe Deployment has ${scale.body?.spec?.replicas} replica(s), as created`,
  );
  return checks;
}
