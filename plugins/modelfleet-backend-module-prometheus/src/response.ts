import { MetricSeries } from '@modelfleet/plugin-modelfleet-node';

/**
 * Reads a Prometheus `query_range` response body into series, dropping NaN
 * and infinite points. Throws naming what is wrong with a malformed body.
 */
export function parseQueryRangeBody(body: unknown): MetricSeries[] {
  const b = body as any;
  if (!b || typeof b !== 'object')
    throw new Error('the body is not a JSON object');
  if (b.status === 'error') {
    throw new Error(`${b.errorType ?? 'error'}: ${b.error ?? 'no message'}`);
  }
  if (b.status !== 'success')
    throw new Error(`status is '${b.status}', expected 'success'`);
  if (!b.data || b.data.resultType !== 'matrix') {
    throw new Error(
      `data.resultType is '${b.data?.resultType}', expected 'matrix'`,
    );
  }
  if (!Array.isArray(b.data.result))
    throw new Error('data.result is not an array');
  return b.data.result.map((series: any, i: number): MetricSeries => {
    if (
      !series ||
      typeof series.metric !== 'object' ||
      !Array.isArray(series.values)
    ) {
      throw new Error(`data.result[${i}] has no metric or values`);
    }
    const points: Array<[number, number]> = [];
    series.values.forEach((pair: unknown, j: number) => {
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        typeof pair[0] !== 'number' ||
        typeof pair[1] !== 'string'
      ) {
        throw new Error(
          `data.result[${i}].values[${j}] is not [time, "value"]`,
        );
      }
      const value = Number(pair[1]);
      if (pair[1] === '' || (Number.isNaN(value) && pair[1] !== 'NaN')) {
        throw new Error(
          `data.result[${i}].values[${j}] value '${pair[1]}' is not a number`,
        );
      }
      if (Number.isFinite(value)) points.push([pair[0], value]);
    });
    return { labels: { ...series.metric }, points };
  });
}
