import { mockServices } from '@backstage/backend-test-utils';
import {
  eventually,
  FakeKubeApiServer,
  PATHS,
} from './__testUtils__/FakeKubeApiServer';
import {
  deployment,
  NODES,
  pod,
  podDisruptionBudget,
} from './__testUtils__/objects';
import { KubernetesClusterConnector } from './KubernetesClusterConnector';
import { KubernetesConnectorTiming } from './watch/ClusterWatcher';

/** Small backoffs and thresholds, so that every test takes well under 5 s. */
const FAST: KubernetesConnectorTiming = {
  initialBackoffMs: 10,
  maxBackoffMs: 50,
  listTimeoutMs: 1_000,
  absentRecheckMs: 60_000,
  minWatchMs: 0,
  initialSyncTimeoutMs: 2_000,
  unhealthyAfterMs: 60_000,
};

let server: FakeKubeApiServer;
let connector: KubernetesClusterConnector;

afterEach(async () => {
  await connector?.stop();
  await server?.close();
});

/** An EKS cluster running a model's two pods, and a budget for them. */
async function cluster(options: { forbidPdbs?: boolean } = {}) {
  server = await FakeKubeApiServer.start();
  if (options.forbidPdbs) server.forbid(PATHS.podDisruptionBudgets);
  server.seed(PATHS.nodes, [NODES.eksA100('a100-1')]);
  server.seed(PATHS.pods, [
    pod('llama-70b-0', {
      labels: { app: 'llama-70b' },
      node: 'a100-1',
      limits: { 'nvidia.com/gpu': '4' },
    }),
    pod('llama-70b-1', {
      labels: { app: 'llama-70b' },
      node: 'a100-1',
      limits: { 'nvidia.com/gpu': '4' },
    }),
  ]);
  server.seed(PATHS.deployments, [
    deployment('llama-70b', {
      labels: { 'modelfleet.io/model': 'llama-3-70b' },
      replicas: 2,
      readyReplicas: 2,
      limits: { 'nvidia.com/gpu': '4' },
    }),
  ]);
}

function connect(timing: Partial<KubernetesConnectorTiming> = {}) {
  const logger = mockServices.logger.mock();
  connector = new KubernetesClusterConnector({
    clusters: [
      {
        name: 'c1',
        url: server.url,
        auth: { type: 'none' },
        skipTLSVerify: false,
      },
    ],
    logger,
    timing: { ...FAST, ...timing },
  });
  return logger;
}

const llamaBudget = async () =>
  (await connector.snapshot('c1')).workloads.find(w => w.name === 'llama-70b')
    ?.disruptionBudget;

describe('KubernetesClusterConnector: PodDisruptionBudgets', () => {
  it('watches the budgets and gives each workload those that select its pods', async () => {
    await cluster();
    server.seed(PATHS.podDisruptionBudgets, [
      podDisruptionBudget('llama-pdb', {
        selector: { matchLabels: { app: 'llama-70b' } },
        allowed: 1,
      }),
    ]);
    connect();
    expect(await llamaBudget()).toEqual({
      names: ['llama-pdb'],
      disruptionsAllowed: 1,
    });

    // A second budget, whose status is not written yet, counts as 0.
    await eventually(() =>
      expect(server.openWatches(PATHS.podDisruptionBudgets)).toBe(1),
    );
    server.add(
      PATHS.podDisruptionBudgets,
      podDisruptionBudget('all-pods', { selector: {} }),
    );
    await eventually(async () =>
      expect(await llamaBudget()).toEqual({
        names: ['all-pods', 'llama-pdb'],
        disruptionsAllowed: 0,
      }),
    );
    server.remove(
      PATHS.podDisruptionBudgets,
      podDisruptionBudget('all-pods', { selector: {} }),
    );
    server.remove(
      PATHS.podDisruptionBudgets,
      podDisruptionBudget('llama-pdb', { selector: null }),
    );
    await eventually(async () => expect(await llamaBudget()).toBeUndefined());
    expect(server.lists(PATHS.podDisruptionBudgets)).toBe(1);
  });

  it('still syncs a cluster whose RBAC forbids listing budgets, and reads them once it is granted', async () => {
    await cluster({ forbidPdbs: true });
    server.seed(PATHS.podDisruptionBudgets, [
      podDisruptionBudget('llama-pdb', {
        selector: { matchLabels: { app: 'llama-70b' } },
        allowed: 1,
      }),
    ]);
    const logger = connect({ absentRecheckMs: 50 });
    const snapshot = await connector.snapshot('c1');
    expect(snapshot.workloads).toEqual([
      expect.objectContaining({
        name: 'llama-70b',
        replicas: { desired: 2, ready: 2 },
      }),
    ]);
    expect(snapshot.workloads[0]).not.toHaveProperty('disruptionBudget');
    expect(logger.info).toHaveBeenCalledWith(
      'Kubernetes cluster c1: poddisruptionbudgets may not be listed (403 Forbidden), so they are left out; grant list and watch of them to read them',
    );
    expect(logger.warn).not.toHaveBeenCalled();

    // Looked for again: once the role grants them, they are read.
    server.allow(PATHS.podDisruptionBudgets);
    await eventually(async () =>
      expect(await llamaBudget()).toEqual({
        names: ['llama-pdb'],
        disruptionsAllowed: 1,
      }),
    );
  });

  it('leaves budgets out when the right to read them is taken away while watching', async () => {
    await cluster();
    server.seed(PATHS.podDisruptionBudgets, [
      podDisruptionBudget('llama-pdb', {
        selector: { matchLabels: { app: 'llama-70b' } },
        allowed: 1,
      }),
    ]);
    const logger = connect({ absentRecheckMs: 60_000 });
    expect(await llamaBudget()).toBeDefined();
    await eventually(() =>
      expect(server.openWatches(PATHS.podDisruptionBudgets)).toBe(1),
    );
    server.forbid(PATHS.podDisruptionBudgets);
    server.dropWatches(PATHS.podDisruptionBudgets);
    await eventually(async () => expect(await llamaBudget()).toBeUndefined());
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('poddisruptionbudgets may not be listed'),
    );
  });
});
