/**
 * The simulated demo fleet: Kubernetes API servers over in-memory clusters
 * whose controllers (workloads, scheduler, kubelets, node provisioning,
 * KEDA, spot reclaims) run in simulated time. See README.md.
 */
export { SimClock } from './clock';
export type { SimClockOptions, SimTimer } from './clock';
export { startSimulatedFleet } from './fleet';
export type { SimulatedFleet, SimulatedFleetOptions } from './fleet';
export { SimulatedCluster } from './SimulatedCluster';
export type { ClusterStats, SimulatedClusterOptions } from './SimulatedCluster';
export { SimulatedApiServer } from './SimulatedApiServer';
export type { SimulatedApiServerOptions } from './SimulatedApiServer';
export { ObjectStore } from './store';
export { ResourceRegistry } from './resources';
export {
  bootstrapStore,
  DEFAULT_ADMIN_TOKEN,
  DEFAULT_MODELFLEET_TOKEN,
  DEFAULT_TOKENS,
  MODELFLEET_USER,
} from './bootstrap';
export type { FaultSpec, ActiveFault } from './faults';
export type { MutationReport } from './mutations';
export type { RequestResult } from './traffic';
export { EngineRegistry, DEFAULT_ENGINE_WAKE_MS } from './engines';
export type { EngineOptions, EngineSnapshot, EngineTotals } from './engines';
export type { EngineInfo } from './engineInfo';
export type { ModelUsage, PoolUsage } from './stats';
export type { SpotTraceReading } from './spot';
export { SPOT_TRACE_READINGS } from './spot';
export type { TokenUser } from './rbac';
export type {
  FirstReclaim,
  FirstReclaimReport,
  FleetFirstReclaim,
} from './firstReclaim';
