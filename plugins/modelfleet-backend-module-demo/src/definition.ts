/** The demo fleet's definition: its types and helpers, clusters, pools and models. */
export type {
  DemoCluster,
  DemoModel,
  DemoPool,
  DemoSchedule,
  DemoTraffic,
} from './demoTypes';
export { busySecondsOf, isLlmTraffic, replicasAt } from './demoTypes';
export { DEMO_CLUSTERS, DEMO_POOLS } from './demoClusters';
export { DEMO_MODELS } from './demoModels';
