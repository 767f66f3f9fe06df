import {
  busySecondsOf,
  DemoCluster,
  DemoModel,
  DemoPool,
  replicasAt,
} from '../definition';
import { TraceReplay } from '../replay';
import { bootstrapStore, DEFAULT_TOKENS } from './bootstrap';
import { SimClock } from './clock';
import { ClusterContext } from './controllers/context';
import { DisruptionController } from './controllers/disruption';
import { KedaController } from './controllers/keda';
import { drawLoadTime, Kubelet } from './controllers/kubelet';
import { ControllerManager } from './controllers/manager';
import {
  DEFAULT_PROVISIONER_TIMING,
  NodeProvisioner,
  ProvisionerTiming,
} from './controllers/provisioner';
import { ScheduleController } from './controllers/schedule';
import { Scheduler } from './controllers/scheduler';
import { WorkloadController } from './controllers/workloads';
import { EngineRegistry } from './engines';
import {
  modelAutoscaler,
  modelDeployment,
  ScaleToZero,
  scaleToZeroOf,
} from './modelObjects';
import { poolLabelKey, poolUnits } from './nodes';
import { StoredObject } from './objects';
import { TokenUser } from './rbac';
import { ResourceRegistry } from './resources';
import { addClusterAdminRoutes } from './adminRoutes';
import { SimulatedApiServer } from './SimulatedApiServer';
import { ServiceExportController } from './serviceExports';
import {
  checkFirstReclaimOf,
  FirstReclaim,
  FirstReclaimScript,
} from './firstReclaim';
import { SpotController, SpotMarket } from './spot';
import { UsageMeter } from './stats';
import { ClusterStats, clusterStats } from './clusterStats';
import { ObjectStore } from './store';
import { RequestResult, TrafficController } from './traffic';

/**
 * Options of {@link SimulatedCluster.start}.
 *
 * @public
 */
export interface SimulatedClusterOptions {
  cluster: DemoCluster;
  /** Its pools (those of other clusters are left out). */
  pools: DemoPool[];
  /** The demo's models; those deployed to this cluster run in it. */
  models: DemoModel[];
  clock: SimClock;
  /** Port of its API server on 127.0.0.1; any free one by default. */
  port?: number;
  /** Bearer tokens and their users; ModelFleet's service account and an admin by default. */
  tokens?: Record<string, TokenUser>;
  /** When set, `/_sim/` needs this bearer token. */
  adminToken?: string;
  /** RBAC manifests; `deploy/rbac/` of the repository by default. */
  rbacDir?: string;
  /** Measured model load times (ms), for the kubelet's draws. */
  loadLatencies?: Float64Array;
  /** Overrides the load time of a pod (tests). */
  loadTimeMs?: (pod: StoredObject) => number;
  /** Traffic to replay, by model id. */
  traffic?: Map<string, TraceReplay>;
  /** Spot capacity; without it spot nodes are reclaimed only when asked (`/_sim/spot`). */
  spotMarket?: SpotMarket;
  /**
   * A scripted spot reclaim of a spot pool, `afterSeconds` (simulated)
   * after the start, as `POST /_sim/spot/reclaims` does it; with or
   * without a market.
   */
  firstReclaim?: FirstReclaim;
  /** Where the cluster tells what it does of itself (the scripted reclaim); nowhere by default. */
  log?: (message: string) => void;
  provisioner?: Partial<ProvisionerTiming>;
  /** How long a request waits for a replica before it is given up; 15 min by default. */
  requestTimeoutMs?: number;
  /**
   * GFD product names: NVIDIA's (`NVIDIA-L4`, as GPU feature discovery
   * labels real nodes; the default) or the catalog's (`L4`).
   */
  gfdProductNames?: 'demo' | 'nvidia';
  /** Which models scale to zero, and how; the image, vision and speech models by default. */
  scaleToZero?: (model: DemoModel) => ScaleToZero | undefined;
  /**
   * How long a sleeping vLLM engine takes to wake (sleep mode level 1:
   * weights back from host memory), in simulated ms, or per pod; 5 s by
   * default. `/wake_up` answers after it, and requests that arrive at a
   * sleeping engine wait for it.
   */
  engineWakeMs?: number | ((pod: StoredObject) => number);
}

export type { ClusterStats };

/**
 * One simulated cluster: an API server and the controllers that act on
 * it (Deployments and StatefulSets, scheduler, kubelets, node
 * provisioning, KEDA, the demo's schedules, spot reclaims, disruption
 * budgets), all in
 * simulated time, with the demo's pools and models in it.
 *
 * @public
 */
export class SimulatedCluster {
  readonly ctx: ClusterContext;
  readonly manager: ControllerManager;
  readonly kubelet: Kubelet;
  readonly provisioner: NodeProvisioner;
  readonly keda: KedaController;
  readonly traffic: TrafficController;
  /** The vLLM engines of the pods: sleep mode, behind the pod proxy. */
  readonly engines: EngineRegistry;
  /** Spot reclaims: from the market, and when asked (`/_sim/spot`, `/_sim/spot/reclaims`). */
  readonly spot: SpotController;
  readonly usage: UsageMeter;
  /** The scripted first reclaim (`options.firstReclaim`), if any. */
  readonly firstReclaim?: FirstReclaimScript;
  private readonly schedule: ScheduleController;
  private apiServer?: SimulatedApiServer;

  private constructor(
    readonly options: SimulatedClusterOptions,
    readonly store: ObjectStore,
  ) {
    const { clock, cluster } = options;
    const ctx = new ClusterContext(store, clock);
    this.ctx = ctx;
    this.manager = new ControllerManager(store, clock);
    const kick = () => this.manager.kick();
    const latencies = options.loadLatencies;
    const loadTime =
      options.loadTimeMs ??
      ((pod: StoredObject) =>
        latencies ? drawLoadTime(latencies, pod.metadata.name) : 22_718);
    this.kubelet = new Kubelet(ctx, loadTime);
    this.provisioner = new NodeProvisioner(ctx, cluster, options.pools, {
      timing: { ...DEFAULT_PROVISIONER_TIMING, ...options.provisioner },
      spotAvailable: (pool, zone) => this.spot.available(pool, zone),
      reclaiming: node => this.spot.isReclaiming(node),
      gfdProductNames: options.gfdProductNames ?? 'nvidia',
      kick,
    });
    this.keda = new KedaController(ctx, kick, (ns, name) =>
      this.traffic.waitingFor(ns, name),
    );
    this.schedule = new ScheduleController(ctx, this.deployedModels(), kick);
    this.engines = new EngineRegistry(ctx, { wakeMs: options.engineWakeMs });
    this.traffic = new TrafficController(ctx, this.keda, {
      requestTimeoutMs: options.requestTimeoutMs ?? 15 * 60_000,
      engines: this.engines,
    });
    this.spot = new SpotController(
      ctx,
      cluster,
      options.pools,
      options.spotMarket,
      kick,
    );
    if (options.firstReclaim) {
      this.firstReclaim = new FirstReclaimScript(
        this,
        options.firstReclaim,
        options.log,
      );
    }
    this.manager.add(
      this.schedule,
      this.keda,
      new WorkloadController(ctx),
      new Scheduler(ctx),
      this.provisioner,
      this.kubelet,
      new ServiceExportController(ctx),
      new DisruptionController(ctx),
    );
    this.manager.onSettled(() => this.traffic.settled());
    const label = poolLabelKey(cluster);
    this.usage = new UsageMeter(
      store,
      () => clock.now(),
      n => n.metadata.labels?.[label],
      pod => this.engines.isAsleep(pod),
    );
    this.engines.onChange(() => this.usage.refresh());
  }

  /** Builds the cluster as it runs at the clock's time, then serves its API. */
  static async start(
    options: SimulatedClusterOptions,
  ): Promise<SimulatedCluster> {
    if (options.firstReclaim) {
      const problem = checkFirstReclaimOf(
        options.cluster,
        options.pools,
        options.firstReclaim,
      );
      if (problem) {
        throw new Error(
          `${options.cluster.name}: firstReclaim.${problem.field} ${problem.message}`,
        );
      }
    }
    const store = new ObjectStore(new ResourceRegistry(), () =>
      options.clock.now(),
    );
    const deployed = options.models.filter(
      m => m.deployment?.cluster === options.cluster.name,
    );
    bootstrapStore(store, {
      // The demo models' namespaces, and `models`, where the Deploy a
      // model template deploys by default: the platform team has installed
      // ModelFleet's Role in each (deploy/rbac/20-modelfleet-model-namespace.yaml).
      modelNamespaces: [
        ...new Set([...options.models.map(m => m.namespace), 'models']),
      ].sort(),
      rbacDir: options.rbacDir,
    });
    const sim = new SimulatedCluster(options, store);
    sim.populate(deployed);
    sim.apiServer = await SimulatedApiServer.start({
      store,
      port: options.port,
      tokens: options.tokens ?? DEFAULT_TOKENS,
      adminToken: options.adminToken,
      podNetwork: sim.engines,
    });
    addClusterAdminRoutes(sim.apiServer, sim);
    sim.spot.start();
    sim.firstReclaim?.start();
    const replays = deployed.flatMap(m => {
      const replay = options.traffic?.get(m.id);
      return replay
        ? [
            {
              namespace: m.namespace,
              model: m.id,
              replay,
              busySeconds: busySecondsOf(m),
            },
          ]
        : [];
    });
    if (replays.length > 0) sim.traffic.replay(replays);
    return sim;
  }

  get name(): string {
    return this.options.cluster.name;
  }

  get server(): SimulatedApiServer {
    return this.apiServer!;
  }

  /** The API server's address, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.server.url;
  }

  private deployedModels(): DemoModel[] {
    return this.options.models.filter(
      m => m.deployment?.cluster === this.options.cluster.name,
    );
  }

  /** Nodes, Deployments and KEDA objects as the fleet runs at the start, all pods Ready. */
  private populate(deployed: DemoModel[]): void {
    const { cluster, pools, clock } = this.options;
    const at = new Date(clock.now());
    for (const pool of pools) {
      const gpus = deployed
        .filter(m => m.deployment!.pool === pool.name)
        .reduce(
          (s, m) =>
            s + replicasAt(m.deployment!, at) * m.deployment!.gpusPerReplica,
          0,
        );
      const count = Math.min(
        pool.nodes.max,
        Math.max(
          pool.nodes.min,
          Math.ceil(gpus / poolUnits(pool)) + pool.idleNodes,
        ),
      );
      for (let i = 0; i < count; i++)
        this.provisioner.addNode(pool, cluster.zones[i % cluster.zones.length]);
    }
    const write = { manager: 'kubectl', source: 'controller' as const };
    for (const model of deployed) {
      const pool = pools.find(p => p.name === model.deployment!.pool);
      if (!pool)
        throw new Error(
          `${cluster.name}: model ${model.id} runs on unknown pool ${
            model.deployment!.pool
          }`,
        );
      const d = modelDeployment(cluster, pool, model, at);
      this.store.apply(
        this.ctx.types.deployment,
        model.namespace,
        model.id,
        d,
        write,
      );
      const s = (this.options.scaleToZero ?? scaleToZeroOf)(model);
      if (s) {
        const a = modelAutoscaler(model, s);
        const type = this.store.type(a.apiVersion!, a.kind!);
        this.store.apply(type, model.namespace, model.id, a, write);
      }
    }
    this.manager.runNow();
    this.kubelet.readyAllNow();
    this.manager.runNow();
  }

  /** Runs the controllers until the cluster is settled (they run by themselves too). */
  settle(): void {
    this.manager.runNow();
  }

  /** A request for a model; resolves when a replica has served it. */
  request(namespace: string, model: string): Promise<RequestResult> {
    return this.traffic.request(namespace, model);
  }

  stats(): ClusterStats {
    return clusterStats(this);
  }

  async close(): Promise<void> {
    this.manager.stop();
    this.kubelet.stop();
    this.provisioner.stop();
    this.keda.stop();
    this.schedule.stop();
    this.firstReclaim?.stop();
    this.spot.stop();
    this.traffic.stop();
    this.engines.stop();
    this.usage.dispose();
    await this.apiServer?.close();
  }
}
