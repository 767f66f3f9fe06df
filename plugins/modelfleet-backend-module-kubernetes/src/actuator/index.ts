export { KubernetesClusterActuator } from './KubernetesClusterActuator';
export type { KubernetesClusterActuatorOptions } from './KubernetesClusterActuator';
