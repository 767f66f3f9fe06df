/**
 * The Kubernetes backend module for the ModelFleet plugin: reads GPU pools
 * and model workloads from the clusters of `kubernetes.clusterLocatorMethods`
 * by list+watch, and changes them (server-side apply, scale, KEDA
 * autoscalers) for ModelFleet's actions.
 *
 * @packageDocumentation
 */

export { modelfleetModuleKubernetes as default } from './module';
export { KubernetesClusterConnector } from './KubernetesClusterConnector';
export type { KubernetesClusterConnectorOptions } from './KubernetesClusterConnector';
export { KubernetesClusterActuator } from './actuator';
export type { KubernetesClusterActuatorOptions } from './actuator';
export { readKubernetesClusterConfigs } from './config';
export { kubeConfigFor } from './watch/ClusterWatcher';
export type { KubernetesClusterConfig } from './config';
export type { KubernetesConnectorTiming } from './watch/ClusterWatcher';
export type { InformerTiming } from './watch/ResourceInformer';
