/**
 * Parsing of spot market inputs, pure (text in, values out):
 *
 * - spot availability traces in the format of skypilot-org/spot-traces,
 *   `{"metadata": {"gap_seconds": …}, "data": […]}`, one file per zone and
 *   instance size, named `<zone>_<gpu>_<GPUs per instance>.json`; a bad
 *   file is an error naming it and what is wrong;
 * - spot price history in the shape EC2 `DescribeSpotPriceHistory` returns
 *   (Timestamp, InstanceType, AvailabilityZone, SpotPrice), as CSV with a
 *   header or as JSON (`{"SpotPriceHistory": […]}` or an array); bad rows
 *   are skipped and named (line or item, and field).
 *
 * @internal
 */
import { parse } from 'csv-parse/sync';
import { parseTimestamp } from '../hibernation/trace';

/**
 * How a trace value is read. The traces' README says a value is "the number
 * of available instances" (`availability`: 0 = no spot capacity); the
 * simulator of the paper that published them treats 1 as "spot not
 * available", the instance preempted (`preemption`: only 0 = capacity).
 */
export type SpotTraceReading = 'availability' | 'preemption';

export const SPOT_TRACE_READINGS: readonly SpotTraceReading[] = [
  'availability',
  'preemption',
];

/** Each reading in words, for output that must state the one used. */
export const READING_DESCRIPTIONS: Record<SpotTraceReading, string> = {
  availability:
    'the traces README: a value is the number of spot instances available, so 0 = no spot capacity, ≥ 1 = capacity',
  preemption:
    "the paper's simulator (Can't Be Late, NSDI '24): 1 = spot not available (preempted), 0 = capacity",
};

/** Where a trace file's name says it was taken. */
export interface TraceName {
  zone: string;
  region: string;
  cloud: 'aws' | 'gcp' | 'azure';
  /** GPU name as the catalog spells it (upper case: `v100` → `V100`). */
  gpu: string;
  /** GPUs per instance. */
  gpusPerInstance: number;
}

/** One parsed trace file. */
export interface SpotTraceFile extends TraceName {
  file: string;
  gapSeconds: number;
  /** The raw values, one per tick. */
  values: Float64Array;
}

const NAME = /^(.+)_([A-Za-z0-9-]+)_(\d+)\.json$/;

/** The region and cloud of a zone name, or undefined when it is neither form. */
export function zoneRegion(
  zone: string,
): { region: string; cloud: TraceName['cloud'] } | undefined {
  let m = /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$/.exec(zone);
  if (m) return { region: m[1], cloud: 'aws' };
  m = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(zone);
  if (m) return { region: m[1], cloud: 'gcp' };
  m = /^([a-z]+\d*)-\d$/.exec(zone);
  if (m) return { region: m[1], cloud: 'azure' };
  return undefined;
}

/**
 * A trace file's name (`us-east-1a_v100_1.json`) into zone, region, cloud,
 * GPU and GPUs per instance; throws naming the file when it does not fit.
 */
export function parseTraceName(file: string): TraceName {
  const m = NAME.exec(file);
  if (!m)
    throw new Error(
      `${file}: a spot trace is named <zone>_<gpu>_<GPUs per instance>.json (e.g. us-east-1a_v100_1.json)`,
    );
  const where = zoneRegion(m[1]);
  if (!where)
    throw new Error(
      `${file}: '${m[1]}' is not a zone name of AWS (us-east-1a), GCP (us-central1-a) or Azure (eastus-1)`,
    );
  const count = Number(m[3]);
  if (!(count >= 1))
    throw new Error(`${file}: GPUs per instance '${m[3]}' is not ≥ 1`);
  return {
    zone: m[1],
    ...where,
    gpu: m[2].toUpperCase(),
    gpusPerInstance: count,
  };
}

/**
 * A spot trace file: its name and JSON text. Throws an error naming the
 * file and what is wrong (unreadable JSON with where, no
 * `metadata.gap_seconds`, no `data`, a value that is not a number ≥ 0).
 */
export function parseSpotTrace(file: string, text: string): SpotTraceFile {
  const name = parseTraceName(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // Node's message has the line and column where it has a position.
    throw new Error(
      `${file}: not JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${file}: expected {"metadata": {…}, "data": […]}`);
  const { metadata, data } = doc as { metadata?: unknown; data?: unknown };
  const gap =
    metadata && typeof metadata === 'object'
      ? (metadata as { gap_seconds?: unknown }).gap_seconds
      : undefined;
  if (gap === undefined)
    throw new Error(`${file}: metadata.gap_seconds is missing`);
  if (typeof gap !== 'number' || !Number.isFinite(gap) || gap <= 0)
    throw new Error(
      `${file}: metadata.gap_seconds is ${JSON.stringify(
        gap,
      )}, not a number of seconds > 0`,
    );
  if (!Array.isArray(data))
    throw new Error(`${file}: "data" is missing or not an array`);
  if (!data.length) throw new Error(`${file}: "data" is empty`);
  const values = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
      throw new Error(
        `${file}: data[${i}] is ${JSON.stringify(v)}, not a number ≥ 0`,
      );
    values[i] = v;
  }
  return { file, ...name, gapSeconds: gap, values };
}

/** Per tick, whether the pool has spot capacity (1) or not (0), under a reading. */
export function availabilityOf(
  values: ArrayLike<number>,
  reading: SpotTraceReading,
): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = (reading === 'availability' ? values[i] > 0 : values[i] < 1)
      ? 1
      : 0;
  return out;
}

// ---------------------------------------------------------------- prices

/** One spot price of a history: from `at` (epoch seconds) on. */
export interface SpotPricePoint {
  at: number;
  instanceType: string;
  zone: string;
  usdPerHour: number;
}

/** A row or item that was skipped, and why. */
export interface PriceIssue {
  /** `line 12` (CSV, the header is line 1) or `SpotPriceHistory[3]` (JSON). */
  where: string;
  field: string;
  message: string;
}

export interface SpotPriceHistory {
  points: SpotPricePoint[];
  /** Rows or items read. */
  rows: number;
  issues: PriceIssue[];
  format: 'csv' | 'json';
}

const FIELDS = [
  'Timestamp',
  'InstanceType',
  'AvailabilityZone',
  'SpotPrice',
] as const;

function pointOf(
  get: (field: (typeof FIELDS)[number]) => unknown,
  where: string,
  issues: PriceIssue[],
): SpotPricePoint | undefined {
  const bad = (field: string, message: string) => {
    issues.push({ where, field, message });
    return undefined;
  };
  const ts = get('Timestamp');
  let at: number | undefined;
  if (typeof ts === 'string') at = parseTimestamp(ts);
  else if (typeof ts === 'number' && Number.isFinite(ts)) at = ts;
  if (at === undefined)
    return bad('Timestamp', `${JSON.stringify(ts ?? null)} is not a time`);
  const type = get('InstanceType');
  if (typeof type !== 'string' || !type.trim())
    return bad('InstanceType', 'empty');
  const zone = get('AvailabilityZone');
  if (typeof zone !== 'string' || !zone.trim())
    return bad('AvailabilityZone', 'empty');
  const raw = get('SpotPrice');
  let price = NaN;
  if (typeof raw === 'number') price = raw;
  else if (typeof raw === 'string' && raw.trim()) price = Number(raw);
  if (!Number.isFinite(price) || price <= 0)
    return bad(
      'SpotPrice',
      `${JSON.stringify(raw ?? null)} is not a price > 0 (USD/h)`,
    );
  return {
    at,
    instanceType: type.trim(),
    zone: zone.trim(),
    usdPerHour: price,
  };
}

/**
 * A spot price history, CSV (a header naming Timestamp, InstanceType,
 * AvailabilityZone and SpotPrice, any order and case, other columns
 * ignored) or JSON (`{"SpotPriceHistory": […]}` as the AWS CLI prints it,
 * or an array of such items). Throws only when the file as a whole cannot
 * be read (not JSON, a column missing); bad rows are skipped and named.
 * Points come out sorted by time.
 */
export function parseSpotPriceHistory(text: string): SpotPriceHistory {
  const body = text.replace(/^\uFEFF/, '');
  const issues: PriceIssue[] = [];
  const points: SpotPricePoint[] = [];
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (e) {
      throw new Error(
        `not JSON: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const items = Array.isArray(doc)
      ? doc
      : (doc as { SpotPriceHistory?: unknown }).SpotPriceHistory;
    if (!Array.isArray(items))
      throw new Error('JSON without a SpotPriceHistory array');
    const label = Array.isArray(doc) ? '' : 'SpotPriceHistory';
    items.forEach((item, i) => {
      const where = `${label}[${i}]`;
      if (!item || typeof item !== 'object') {
        issues.push({ where, field: '(item)', message: 'not an object' });
        return;
      }
      const p = pointOf(
        f => (item as Record<string, unknown>)[f],
        where,
        issues,
      );
      if (p) points.push(p);
    });
    points.sort((a, b) => a.at - b.at);
    return { points, rows: items.length, issues, format: 'json' };
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(body, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (e) {
    throw new Error(
      `unreadable CSV: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!records.length) throw new Error('empty');
  const header = records[0].record.map(h => h.toLowerCase());
  const index = {} as Record<(typeof FIELDS)[number], number>;
  for (const f of FIELDS) {
    index[f] = header.indexOf(f.toLowerCase());
    if (index[f] < 0)
      throw new Error(
        `the CSV header (line ${records[0].info.lines}) has no ${f} column`,
      );
  }
  for (const { record, info } of records.slice(1)) {
    const p = pointOf(f => record[index[f]], `line ${info.lines}`, issues);
    if (p) points.push(p);
  }
  points.sort((a, b) => a.at - b.at);
  return { points, rows: records.length - 1, issues, format: 'csv' };
}
