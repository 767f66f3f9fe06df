/**
 * ModelFleet's Prometheus metrics connector: GPU utilization and memory from
 * dcgm-exporter, request and token rates from vLLM, TGI or generic HTTP
 * metrics, per model.
 *
 * @packageDocumentation
 */

export { modelfleetModulePrometheus as default } from './module';
export { PrometheusMetricsSource } from './PrometheusMetricsSource';
export type { PrometheusMetricsSourceOptions } from './PrometheusMetricsSource';
export { readPrometheusConfig } from './config';
