import { parse } from 'csv-parse/sync';

/**
 * Requests of one traffic stream, as seconds from the start of its trace,
 * sorted, with a weight per request (tokens for LLM traces, busy seconds for
 * image-generation traces).
 */
export interface Trace {
  /** Length of the trace in seconds; replay loops over it. */
  periodSeconds: number;
  /** Request times, seconds from the trace start, ascending. */
  offsets: Float64Array;
  /** Per request: tokens (context + generated) or GPU-busy seconds. */
  weights: Float64Array;
}

/** `2023-11-16 18:17:03.9799600` (UTC) → milliseconds since the epoch. */
export function parseTraceTimestamp(value: string, row: number): number {
  const m =
    /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(
      value.trim(),
    );
  if (!m) {
    throw new Error(
      `row ${row}: timestamp '${value}' is not YYYY-MM-DD HH:MM:SS[.fraction]`,
    );
  }
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  return Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) + ms;
}

function finite(value: string, field: string, row: number): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n) || n < 0) {
    throw new Error(`row ${row}: ${field} '${value}' is not a number ≥ 0`);
  }
  return n;
}

function build(points: Array<[number, number]>, periodSeconds: number): Trace {
  points.sort((a, b) => a[0] - b[0]);
  return {
    periodSeconds,
    offsets: Float64Array.from(points, p => p[0]),
    weights: Float64Array.from(points, p => p[1]),
  };
}

/**
 * Parses an Azure LLM inference trace (`TIMESTAMP,ContextTokens,GeneratedTokens`).
 * The period is one hour, the length of the published traces.
 */
export function parseAzureLlmTrace(csv: string): Trace {
  const rows: Record<string, string>[] = parse(csv, {
    columns: true,
    skip_empty_lines: true,
  });
  if (rows.length === 0) throw new Error('the trace has no rows');
  const times = rows.map((r, i) => parseTraceTimestamp(r.TIMESTAMP, i + 2));
  const start = Math.min(...times);
  const points = rows.map((r, i): [number, number] => [
    (times[i] - start) / 1000,
    finite(r.ContextTokens, 'ContextTokens', i + 2) +
      finite(r.GeneratedTokens, 'GeneratedTokens', i + 2),
  ]);
  const span = Math.max(...points.map(p => p[0]));
  return build(points, Math.max(3600, Math.floor(span) + 1));
}

/**
 * Parses the Alibaba GenAI request trace into one trace per base model
 * (`checkpoint_model_version_id`), weighted by execution seconds. All share
 * the period of the whole file, so models keep their relative timing. Rows
 * without a base model (requests left PENDING) cannot be attributed and are
 * skipped; `skipped` counts them.
 */
export function parseAlibabaGenAiTrace(
  csv: string,
): Map<string, Trace> & { skipped: number } {
  const rows: Record<string, string>[] = parse(csv, {
    columns: true,
    skip_empty_lines: true,
  });
  if (rows.length === 0) throw new Error('the trace has no rows');
  const times = rows.map((r, i) => parseTraceTimestamp(r.gmt_create, i + 2));
  const start = Math.min(...times);
  const period = Math.ceil((Math.max(...times) - start) / 1000) + 1;
  const byModel = new Map<string, Array<[number, number]>>();
  let skipped = 0;
  rows.forEach((r, i) => {
    const model = r.checkpoint_model_version_id;
    if (!model) {
      skipped += 1;
      return;
    }
    const exec =
      r.exec_time_seconds === ''
        ? 0
        : finite(r.exec_time_seconds, 'exec_time_seconds', i + 2);
    const list = byModel.get(model) ?? [];
    list.push([(times[i] - start) / 1000, exec]);
    byModel.set(model, list);
  });
  const traces = new Map(
    [...byModel].map(([model, points]) => [model, build(points, period)]),
  );
  return Object.assign(traces, { skipped });
}

/**
 * The requests of a scheduled batch client over one period: `requests`
 * requests `spacingSeconds` apart from the period's start, each weighing its
 * GPU-busy seconds.
 */
export function batchTrace(batch: {
  everySeconds: number;
  requests: number;
  spacingSeconds: number;
  execSeconds: number;
}): Trace {
  const { everySeconds, requests, spacingSeconds, execSeconds } = batch;
  if (!(everySeconds > 0 && Number.isInteger(requests) && requests > 0))
    throw new Error('a batch needs everySeconds > 0 and whole requests > 0');
  if (!(spacingSeconds >= 0 && (requests - 1) * spacingSeconds < everySeconds))
    throw new Error('a batch must end within its period');
  const points: Array<[number, number]> = [];
  for (let i = 0; i < requests; i++)
    points.push([i * spacingSeconds, execSeconds]);
  return build(points, everySeconds);
}
