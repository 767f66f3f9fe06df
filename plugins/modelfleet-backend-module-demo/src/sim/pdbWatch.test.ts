import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesClusterConnector,
  readKubernetesClusterConfigs,
} from '@modelfleet/plugin-modelfleet-backend-module-kubernetes';
import { defaultRbacDir } from './bootstrap';
import { eventually, http, SA_TOKEN } from './__testUtils__/apiServer';
import { clusterOf, model, pool, startCluster } from './__testUtils__/cluster';

const aws = clusterOf('aws');
const BUDGETS = '/apis/policy/v1/namespaces/search/poddisruptionbudgets';
const READER_FILE = '10-modelfleet-reader.yaml';
const PDB_RULE = `  - apiGroups: [policy]
    resources: [poddisruptionbudgets]
    verbs: [get, list, watch]
`;

/**
 * The real Kubernetes connector, with the shipped RBAC, reads the
 * PodDisruptionBudgets of a simulated cluster as its disruption controller
 * keeps them.
 */
describe('KubernetesClusterConnector: PodDisruptionBudgets of a simulated cluster', () => {
  let env: Awaited<ReturnType<typeof startCluster>>;
  let connector: KubernetesClusterConnector;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let tmp: string | undefined;

  /** A cluster with the shipped RBAC, or with the reader's rule for budgets taken out (a role from before). */
  const start = async (options: { oldRbac?: boolean } = {}) => {
    let rbacDir: string | undefined;
    if (options.oldRbac) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rbac-'));
      for (const f of fs.readdirSync(defaultRbacDir())) {
        let text = fs.readFileSync(path.join(defaultRbacDir(), f), 'utf8');
        if (f === READER_FILE) {
          expect(text).toContain(PDB_RULE);
          text = text.replace(PDB_RULE, '');
        }
        fs.writeFileSync(path.join(tmp, f), text);
      }
      rbacDir = tmp;
    }
    env = await startCluster({
      cluster: aws,
      pools: [pool(aws, 'gpu', { nodes: { min: 0, max: 4 } })],
      models: [model(aws, 'chat', 'gpu', 3), model(aws, 'embed', 'gpu', 1)],
      ...(rbacDir ? { rbacDir } : {}),
    });
    logger = mockServices.logger.mock();
    connector = new KubernetesClusterConnector({
      clusters: readKubernetesClusterConfigs(
        new ConfigReader({
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: [
                  {
                    name: aws.name,
                    url: env.sim.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: SA_TOKEN,
                    skipMetricsLookup: true,
                  },
                ],
              },
            ],
          },
        }),
      ),
      logger,
      clock: () => env.clock.date(),
      timing: { initialBackoffMs: 10, maxBackoffMs: 50, minWatchMs: 10 },
    });
  };
  afterEach(async () => {
    await connector?.stop();
    await env?.sim.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = undefined;
  });

  const workload = async (name: string) =>
    (await connector.snapshot(aws.name)).workloads.find(w => w.name === name);
  const simBudget = async (name: string) =>
    (await http(env.sim.url, `${BUDGETS}/${name}`)).body;

  const createBudget = async () => {
    const created = await http(env.sim.url, BUDGETS, {
      method: 'POST',
      body: {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'chat-pdb' },
        spec: {
          minAvailable: 1,
          selector: { matchLabels: { 'modelfleet.io/model': 'chat' } },
        },
      },
    });
    expect(created.status).toBe(201);
    env.sim.settle();
  };

  it('reports the budget of a model with the disruptions the cluster allows now', async () => {
    await start();
    env.sim.settle();
    expect((await workload('chat'))?.disruptionBudget).toBeUndefined();

    await createBudget();
    const budget = await simBudget('chat-pdb');
    expect(budget.status).toMatchObject({
      observedGeneration: 1,
      expectedPods: 3,
      currentHealthy: 3,
      desiredHealthy: 1,
      disruptionsAllowed: 2,
    });
    await eventually(async () =>
      expect((await workload('chat'))?.disruptionBudget).toEqual({
        names: ['chat-pdb'],
        disruptionsAllowed: budget.status.disruptionsAllowed,
      }),
    );
    // The budget selects only chat's pods.
    expect((await workload('embed'))?.disruptionBudget).toBeUndefined();

    // A tighter spec: the controller's status follows, and so does the
    // connector.
    const patched = await http(env.sim.url, `${BUDGETS}/chat-pdb`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { minAvailable: 3 } },
    });
    expect(patched.status).toBe(200);
    env.sim.settle();
    expect((await simBudget('chat-pdb')).status).toMatchObject({
      observedGeneration: 2,
      disruptionsAllowed: 0,
    });
    await eventually(async () =>
      expect((await workload('chat'))?.disruptionBudget).toEqual({
        names: ['chat-pdb'],
        disruptionsAllowed: 0,
      }),
    );
  });

  it('syncs a cluster whose role does not grant budgets, without them, and says so', async () => {
    await start({ oldRbac: true });
    await createBudget();
    const denied = await http(
      env.sim.url,
      '/apis/policy/v1/poddisruptionbudgets',
      { token: SA_TOKEN },
    );
    expect(denied.status).toBe(403);

    const snapshot = await connector.snapshot(aws.name);
    expect(snapshot.workloads.map(w => w.name).sort()).toEqual([
      'chat',
      'embed',
    ]);
    for (const w of snapshot.workloads) {
      expect(w).not.toHaveProperty('disruptionBudget');
    }
    expect(logger.info).toHaveBeenCalledWith(
      `Kubernetes cluster ${aws.name}: poddisruptionbudgets may not be listed (403 Forbidden), so they are left out; grant list and watch of them to read them`,
    );
  });
});
