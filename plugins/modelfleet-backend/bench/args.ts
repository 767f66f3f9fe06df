import path from 'node:path';

/**
 * The value of a benchmark's `--name value` or `--name=value` option, or
 * undefined when it is not given.
 */
export function argValue(name: string, argv = process.argv.slice(2)) {
  const i = argv.findIndex(
    a => a === `--${name}` || a.startsWith(`--${name}=`),
  );
  if (i < 0) return undefined;
  const a = argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}

/**
 * A numeric option: `fallback` when it is not given; otherwise a finite
 * number above 0 (a whole one unless `integer` is false), or an error
 * naming the option.
 */
export function positiveArg(
  name: string,
  fallback: number,
  integer = true,
  argv = process.argv.slice(2),
): number {
  const raw = argValue(name, argv);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(
      `--${name} must be a ${
        integer ? 'whole number' : 'number'
      } > 0, got ${raw}`,
    );
  }
  return n;
}

/**
 * The price catalog and the cluster trace a placement-style benchmark
 * reads: `--prices`, `--workload` (pods) and `--nodes`, by default the
 * bundled catalog and the bundled openb trace under `data`.
 */
export function traceArgs(data: string, argv = process.argv.slice(2)) {
  return {
    prices: argValue('prices', argv) ?? path.join(data, 'prices'),
    workload:
      argValue('workload', argv) ??
      path.join(data, 'workloads', 'openb_pod_list_gpuspec33.csv'),
    nodes:
      argValue('nodes', argv) ??
      path.join(data, 'workloads', 'openb_node_list_gpu_node.csv'),
  };
}
