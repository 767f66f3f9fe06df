import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { PrometheusMetricsSourceOptions } from './PrometheusMetricsSource';
import { isLabelName, Runtime, RUNTIMES } from './promql';

const KEY = 'modelfleet.prometheus';

function fail(key: string, reason: string): never {
  throw new Error(`Invalid config at ${KEY}.${key}: ${reason}`);
}

/**
 * Reads `modelfleet.prometheus`; undefined when no `baseUrl` is set. Throws
 * naming the key path of a bad value.
 *
 * @public
 */
export function readPrometheusConfig(
  root: Config,
): PrometheusMetricsSourceOptions | undefined {
  const c = root.getOptionalConfig(KEY);
  if (!c || !c.has('baseUrl')) return undefined;
  const baseUrl = c.getString('baseUrl');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fail('baseUrl', `'${baseUrl}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail('baseUrl', `'${baseUrl}' is not an http(s) URL`);
  }
  const headers: Record<string, string> = {};
  const h = c.getOptionalConfig('headers');
  for (const name of h?.keys() ?? []) headers[name] = h!.getString(name);
  const token = c.getOptionalString('bearerToken');
  if (token) headers.Authorization = `Bearer ${token}`;

  const label = (key: string) => {
    const v = c.getOptionalString(key);
    if (v !== undefined && !isLabelName(v))
      fail(key, `'${v}' is not a Prometheus label name`);
    return v;
  };

  const runtimeQueries: PrometheusMetricsSourceOptions['runtimeQueries'] = {};
  const rq = c.getOptionalConfig('runtimeQueries');
  for (const runtime of rq?.keys() ?? []) {
    if (!RUNTIMES.includes(runtime as Runtime)) {
      fail(
        `runtimeQueries.${runtime}`,
        `unknown runtime; use one of ${RUNTIMES.join(', ')}`,
      );
    }
    const r = rq!.getConfig(runtime);
    runtimeQueries[runtime as Runtime] = {
      requestsPerSecond: r.getOptionalString('requestsPerSecond'),
      tokensPerSecond: r.getOptionalString('tokensPerSecond'),
    };
  }

  const modelRuntimes: Record<string, Runtime> = {};
  const models = c.getOptionalConfig('models');
  for (const id of models?.keys() ?? []) {
    const runtime = models!.getString(`${id}.runtime`);
    if (!RUNTIMES.includes(runtime as Runtime)) {
      fail(
        `models.${id}.runtime`,
        `'${runtime}' is not one of ${RUNTIMES.join(', ')}`,
      );
    }
    modelRuntimes[id] = runtime as Runtime;
  }

  return {
    baseUrl,
    headers,
    timeoutMs: c.has('timeout')
      ? durationToMilliseconds(readDurationFromConfig(c, { key: 'timeout' }))
      : undefined,
    modelLabel: label('modelLabel'),
    clusterLabel: label('clusterLabel'),
    gpuQueries: {
      utilization: c.getOptionalString('gpuQueries.utilization'),
      memoryUsedMiB: c.getOptionalString('gpuQueries.memoryUsedMiB'),
    },
    runtimeQueries,
    modelRuntimes,
  };
}
