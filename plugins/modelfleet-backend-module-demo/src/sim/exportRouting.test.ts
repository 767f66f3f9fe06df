import {
  AppsV1Api,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import {
  advanceUntilSettled,
  http,
  kubeConfig,
  SA_TOKEN,
  START,
} from './__testUtils__/apiServer';
import { SimClock } from './clock';
import { isPodReady } from './controllers/placement';
import { SimulatedFleet, startSimulatedFleet } from './fleet';
import { SimulatedCluster } from './SimulatedCluster';

const LOAD = 20_000;
/** A demo model of steady traffic, deployed to demo-aws-use1 (its home). */
const MODEL = 'llama-3-1-8b-chat';
const NS = 'search';
const KEY = `${NS}/${MODEL}`;
const POOL = 'g2-l4-spot';

/**
 * The model's Deployment and Service as ModelFleet's template renders them
 * for the GKE spot pool g2-l4-spot: labelled with the model, pinned to the
 * pool by nodeSelector and tolerations, requesting a GPU; parked at zero.
 */
function rendered(): KubernetesObject[] {
  const selector = {
    'app.kubernetes.io/name': MODEL,
    'modelfleet.io/model': MODEL,
  };
  const labels = {
    ...selector,
    'app.kubernetes.io/component': 'model-server',
    'app.kubernetes.io/managed-by': 'modelfleet',
  };
  const meta = { name: MODEL, namespace: NS, labels };
  const gpu = { 'nvidia.com/gpu': '1' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'http', port: 8000, targetPort: 'http' }],
      },
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, annotations: { 'modelfleet.io/pool': POOL } },
      spec: {
        replicas: 0,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: {
              'cloud.google.com/gke-nodepool': POOL,
              'cloud.google.com/gke-spot': 'true',
            },
            tolerations: [
              {
                key: 'nvidia.com/gpu',
                operator: 'Exists',
                effect: 'NoSchedule',
              },
              {
                key: 'cloud.google.com/gke-spot',
                operator: 'Equal',
                value: 'true',
                effect: 'NoSchedule',
              },
            ],
            containers: [
              {
                name: 'server',
                image: 'vllm/vllm-openai:v0.6.3',
                args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct'],
                ports: [{ name: 'http', containerPort: 8000 }],
                resources: { requests: gpu, limits: gpu },
              },
            ],
          },
        },
      },
    } as KubernetesObject,
  ];
}

const serviceExport = {
  apiVersion: 'multicluster.x-k8s.io/v1alpha1',
  kind: 'ServiceExport',
  metadata: { name: MODEL, namespace: NS },
};

describe('traffic follows the ServiceExports of the fleet', () => {
  let clock: SimClock;
  let fleet: SimulatedFleet;
  let aws: SimulatedCluster;
  let gcp: SimulatedCluster;
  /** ModelFleet's clients (its service account's token) per cluster. */
  const as = (c: SimulatedCluster) => ({
    objects: KubernetesObjectApi.makeApiClient(kubeConfig(c.url, SA_TOKEN)),
    apps: kubeConfig(c.url, SA_TOKEN).makeApiClient(AppsV1Api),
  });
  const apply = (c: SimulatedCluster, o: KubernetesObject) =>
    as(c).objects.patch(
      o,
      undefined,
      undefined,
      'modelfleet',
      true,
      PatchStrategy.ServerSideApply,
    );
  const unexport = (c: SimulatedCluster) => as(c).objects.delete(serviceExport);
  const scale = (c: SimulatedCluster, replicas: number) =>
    as(c).apps.patchNamespacedDeploymentScale({
      name: MODEL,
      namespace: NS,
      body: [{ op: 'replace', path: '/spec/replicas', value: replicas }],
    });
  const stats = (c: SimulatedCluster) => c.stats().models[KEY];
  const served = (c: SimulatedCluster) => stats(c)?.requestsServed ?? 0;
  const counts = () => ({ aws: served(aws), gcp: served(gcp) });
  const advance = (ms: number) => clock.advance(ms);

  /** Applies the rendered model on demo-gcp-usc1, scales it to 2 and waits until both are Ready. */
  const deployOnGcp = async () => {
    for (const o of rendered()) await apply(gcp, o);
    await scale(gcp, 2);
    for (let i = 0; i < 60 && gcp.traffic.readyReplicas(NS, MODEL) < 2; i++)
      advance(10_000);
    expect(gcp.traffic.readyReplicas(NS, MODEL)).toBe(2);
  };

  beforeEach(async () => {
    clock = new SimClock({ mode: 'manual', start: START });
    fleet = await startSimulatedFleet({
      clock,
      spot: false,
      cluster: { loadTimeMs: () => LOAD },
    });
    aws = fleet.cluster('demo-aws-use1');
    gcp = fleet.cluster('demo-gcp-usc1');
  });
  afterEach(() => fleet.close());

  it("runs a template-rendered Deployment on another cluster, then sends the model's traffic where its Service is exported, and home when the export goes", async () => {
    await deployOnGcp();
    // Nodes of the pool came up for it; its pods are Ready there.
    const pods = gcp.store
      .list(gcp.ctx.types.pod, { namespace: NS })
      .filter(p => p.metadata.labels?.['modelfleet.io/model'] === MODEL);
    expect(pods.filter(isPodReady)).toHaveLength(2);
    for (const p of pods) {
      const node = gcp.store.get(
        gcp.ctx.types.node,
        undefined,
        p.spec.nodeName,
      );
      expect(node?.metadata.labels?.['cloud.google.com/gke-nodepool']).toBe(
        POOL,
      );
    }
    // Nothing exports it: its trace was served at home all along.
    expect(counts().gcp).toBe(0);
    expect(counts().aws).toBeGreaterThan(0);

    // The switch: exported from demo-gcp-usc1.
    await apply(gcp, serviceExport);
    gcp.settle();
    expect((await as(gcp).objects.read(serviceExport)) as any).toMatchObject({
      status: {
        conditions: expect.arrayContaining([
          expect.objectContaining({ type: 'Valid', status: 'True' }),
          expect.objectContaining({ type: 'Ready', status: 'True' }),
        ]),
      },
    });
    let before = counts();
    await expect(fleet.request(MODEL)).resolves.toEqual({
      coldStart: false,
      waitedMs: 0,
    });
    // Sent to its home cluster's API server, served where it is exported.
    const viaHome = await http(aws.url, '/_sim/requests', {
      method: 'POST',
      body: { namespace: NS, model: MODEL },
    });
    expect(viaHome.body).toEqual({ coldStart: false, waitedMs: 0 });
    expect(counts()).toEqual({ aws: before.aws, gcp: before.gcp + 2 });
    // Its trace replay too, with its busy spans.
    before = counts();
    const at = clock.now();
    advance(60_000);
    expect(counts().aws).toBe(before.aws);
    expect(counts().gcp).toBeGreaterThan(before.gcp);
    expect(stats(gcp).busySpans.some(([, end]) => end > at)).toBe(true);
    expect(stats(aws).busySpans.every(([start]) => start < at)).toBe(true);

    // Exported from both: over the Ready replicas of both, each cluster
    // in proportion to its Ready replicas.
    await apply(aws, serviceExport);
    const readyAws = aws.traffic.readyReplicas(NS, MODEL);
    const readyGcp = gcp.traffic.readyReplicas(NS, MODEL);
    expect(readyAws).toBeGreaterThan(0);
    before = counts();
    for (let i = 0; i < 3 * (readyAws + readyGcp); i++)
      await fleet.request(MODEL);
    expect(counts()).toEqual({
      aws: before.aws + 3 * readyAws,
      gcp: before.gcp + 3 * readyGcp,
    });
    await unexport(aws);
    before = counts();
    await fleet.request(MODEL);
    expect(counts()).toEqual({ aws: before.aws, gcp: before.gcp + 1 });

    // The export withdrawn (a rollback): home again.
    await unexport(gcp);
    before = counts();
    await fleet.request(MODEL);
    advance(60_000);
    expect(counts().gcp).toBe(before.gcp);
    expect(counts().aws).toBeGreaterThan(before.aws + 1);
  });

  it('leaves the drained source without requests, and makes requests wait at an exporting cluster without a Ready replica', async () => {
    await deployOnGcp();
    await apply(gcp, serviceExport);
    // Drain the source, as a move does after the switch.
    await scale(aws, 0);
    advance(60_000);
    expect(aws.traffic.readyReplicas(NS, MODEL)).toBe(0);
    const before = counts();
    const coldAtHome = stats(aws).coldStarts;
    advance(120_000);
    expect(counts().aws).toBe(before.aws);
    expect(stats(aws)).toMatchObject({ coldStarts: coldAtHome, waiting: 0 });
    expect(counts().gcp).toBeGreaterThan(before.gcp);

    // The only exporting cluster at zero: requests wait there, a cold start.
    await scale(gcp, 0);
    advance(1_000);
    expect(gcp.traffic.readyReplicas(NS, MODEL)).toBe(0);
    const waited = fleet.request(MODEL);
    expect(stats(gcp).waiting).toBeGreaterThan(0);
    expect(stats(aws).waiting).toBe(0);
    await scale(gcp, 1);
    await expect(advanceUntilSettled(waited, advance)).resolves.toMatchObject({
      coldStart: true,
    });
    expect(stats(aws)).toMatchObject({ coldStarts: coldAtHome, waiting: 0 });
    expect(stats(gcp).coldStarts).toBeGreaterThan(0);
  });

  it("serves a model's share where only its spot companion runs (a spread to another cluster's spot pool), exported from there and from home", async () => {
    // The companion: the model rendered for g2-l4-spot, under its own name
    // and role, beside the model's Service, exported.
    const [service, deployment] = rendered() as any[];
    const role = { 'modelfleet.io/role': 'spot-spread' };
    const companion = {
      ...deployment,
      metadata: {
        ...deployment.metadata,
        name: `${MODEL}-on-${POOL}`,
        labels: { ...deployment.metadata.labels, ...role },
      },
      spec: {
        ...deployment.spec,
        replicas: 1,
        selector: {
          matchLabels: { ...deployment.spec.selector.matchLabels, ...role },
        },
        template: {
          ...deployment.spec.template,
          metadata: {
            labels: { ...deployment.spec.template.metadata.labels, ...role },
          },
        },
      },
    };
    for (const o of [service, companion, serviceExport])
      await apply(gcp, o as KubernetesObject);
    for (let i = 0; i < 60 && gcp.traffic.readyReplicas(NS, MODEL) < 1; i++)
      advance(10_000);
    expect(gcp.traffic.readyReplicas(NS, MODEL)).toBe(1);
    await apply(aws, serviceExport);

    const readyAws = aws.traffic.readyReplicas(NS, MODEL);
    const before = counts();
    const coldAtGcp = stats(gcp)?.coldStarts ?? 0;
    advance(10 * 60_000);
    const after = counts();
    const share =
      (after.gcp - before.gcp) /
      (after.gcp + after.aws - before.gcp - before.aws);
    // Its trace, split over 1 + readyAws replicas, each served at once.
    expect(after.gcp).toBeGreaterThan(before.gcp);
    expect(after.aws).toBeGreaterThan(before.aws);
    expect(share).toBeCloseTo(1 / (1 + readyAws), 1);
    expect(stats(gcp).coldStarts).toBe(coldAtGcp);
  });
});
