/**
 * The contract between the ModelFleet backend and the modules that give it
 * connectors: the connector interfaces and the extension point to register
 * them.
 *
 * @packageDocumentation
 */

export * from './actuator';
export * from './billWindow';
export * from './connectors';
export * from './extensions';
export * from './metricsWindow';
export * from './nodePools';
export * from './runtimeMetrics';
export * from './spotRisk';
export * from './gitops/LocalGitRepositories';
