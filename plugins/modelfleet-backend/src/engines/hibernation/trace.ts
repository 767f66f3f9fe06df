/**
 * Parsing of the request and load-latency traces (the formats of the
 * Alibaba GenAI trace, cluster-trace-v2026-GenAI): pure, from text. Bad rows
 * are skipped and reported by line and column, never thrown; only a missing
 * required column or a file with no usable row is an error.
 *
 * @internal
 */
import { TraceRequest } from './simulate';

/** A row that was not used, and why. Lines count from 1 (the header). */
export interface RowIssue {
  line: number;
  column: string;
  message: string;
}

/** The request trace's columns. */
export const REQUEST_COLUMNS = {
  time: 'gmt_create',
  model: 'checkpoint_model_version_id',
  exec: 'exec_time_seconds',
  status: 'predict_status',
} as const;

/** The load-latency file's value column (milliseconds). */
export const LOAD_LATENCY_COLUMN = 'value';

interface Table {
  header: string[];
  rows: Array<{ line: number; cells: string[] }>;
  issues: RowIssue[];
}

/**
 * One CSV line into fields (RFC 4180 quoting: `"a, b"`, `""` for a quote;
 * a quote inside an unquoted field is kept as is); `undefined` when a quoted
 * field is not closed, or is followed by anything but a comma.
 */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      fields.push(field);
      if (i >= line.length) return fields;
      if (line[i] !== ',') return undefined;
      i++;
    } else {
      const c = line.indexOf(',', i);
      fields.push(line.slice(i, c < 0 ? line.length : c).trim());
      if (c < 0) return fields;
      i = c + 1;
    }
  }
}

/**
 * Line by line, so that one malformed line costs only itself (a field
 * spanning lines is not supported: these traces have none).
 */
function readTable(text: string): Table {
  const issues: RowIssue[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  let header: string[] | undefined;
  const rows: Table['rows'] = [];
  lines.forEach((raw, i) => {
    if (!raw.trim()) return;
    const cells = splitCsvLine(raw);
    if (!cells) {
      issues.push({
        line: i + 1,
        column: '(row)',
        message: 'unreadable CSV: a quoted field is not closed properly',
      });
    } else if (!header) {
      header = cells.map(h => h.trim().toLowerCase());
    } else {
      rows.push({ line: i + 1, cells });
    }
  });
  return { header: header ?? [], rows, issues };
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A timestamp to epoch seconds: `2024-11-15 16:57:50` (UTC when no zone),
 * ISO 8601 with `T`, fractional seconds or a zone, a bare date, or a number
 * of epoch seconds. `undefined` when it is none of these or not a real date.
 */
export function parseTimestamp(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map(i => Number(m[i] ?? 0));
  const sec = Number(m[6] ?? 0);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec >= 61)
    return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, 0) + sec * 1000;
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
  let offsetMin = 0;
  const zone = m[7];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin =
      (z[0] === '-' ? -1 : 1) *
      (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  return ms / 1000 - offsetMin * 60;
}

/** The requests of a trace, and what was left out. */
export interface RequestTrace {
  requests: TraceRequest[];
  /** Data rows read (the header aside). */
  rows: number;
  /** Well-formed rows outside [from, to). */
  outsidePeriod: number;
  /** Rows skipped, by line and column. */
  issues: RowIssue[];
  /** File-level notes, e.g. a missing optional column. */
  warnings: string[];
  /** Used requests per predict_status (empty without that column). */
  statuses: Record<string, number>;
}

/** Options of {@link parseRequestTrace}: the period, epoch seconds. */
export interface RequestTraceOptions {
  /** Keep requests that arrive at or after this time. */
  from?: number;
  /** Keep requests that arrive before this time. */
  to?: number;
}

/**
 * Parses a request trace (`gmt_create`, `checkpoint_model_version_id` —
 * the model — required; `exec_time_seconds` and `predict_status`
 * optional). Requests of every status are kept: a failed request still
 * held its model. A row with an unreadable time, no model or an unreadable
 * exec time is skipped and reported; without an `exec_time_seconds`
 * column every request takes the 1 s floor. Throws only when a required
 * column is missing.
 */
export function parseRequestTrace(
  text: string,
  options: RequestTraceOptions = {},
): RequestTrace {
  const table = readTable(text);
  const col = (name: string) => table.header.indexOf(name);
  const iTime = col(REQUEST_COLUMNS.time);
  const iModel = col(REQUEST_COLUMNS.model);
  const iExec = col(REQUEST_COLUMNS.exec);
  const iStatus = col(REQUEST_COLUMNS.status);
  const missing = [
    iTime < 0 ? REQUEST_COLUMNS.time : '',
    iModel < 0 ? REQUEST_COLUMNS.model : '',
  ].filter(Boolean);
  if (missing.length)
    throw new Error(
      `request trace: missing required column${
        missing.length > 1 ? 's' : ''
      } ${missing.join(', ')} (header: ${table.header.join(',') || 'none'})`,
    );
  const warnings: string[] = [];
  if (iExec < 0)
    warnings.push(
      `no ${REQUEST_COLUMNS.exec} column: every request holds its model for the 1 s floor`,
    );
  if (iStatus < 0)
    warnings.push(`no ${REQUEST_COLUMNS.status} column: statuses not counted`);

  const issues = [...table.issues];
  const requests: TraceRequest[] = [];
  const statuses: Record<string, number> = {};
  let outsidePeriod = 0;
  for (const { line, cells } of table.rows) {
    const cell = (i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const skip = (column: string, message: string) =>
      issues.push({ line, column, message });
    const time = parseTimestamp(cell(iTime));
    if (time === undefined) {
      skip(
        REQUEST_COLUMNS.time,
        `not a timestamp: ${JSON.stringify(cell(iTime))}`,
      );
      continue;
    }
    const model = cell(iModel);
    if (!model) {
      skip(REQUEST_COLUMNS.model, 'empty: the request names no model');
      continue;
    }
    let execSeconds = 0;
    if (iExec >= 0) {
      const raw = cell(iExec);
      execSeconds = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(execSeconds) || execSeconds < 0) {
        skip(
          REQUEST_COLUMNS.exec,
          `not a duration in seconds: ${JSON.stringify(raw)}`,
        );
        continue;
      }
    }
    if (
      (options.from !== undefined && time < options.from) ||
      (options.to !== undefined && time >= options.to)
    ) {
      outsidePeriod++;
      continue;
    }
    requests.push({ model, start: time, execSeconds });
    if (iStatus >= 0) {
      const s = cell(iStatus) || '(empty)';
      statuses[s] = (statuses[s] ?? 0) + 1;
    }
  }
  return {
    requests,
    rows: table.rows.length,
    outsidePeriod,
    issues,
    warnings,
    statuses,
  };
}

/** The load time of a model, from a load-latency file. */
export interface LoadLatency {
  /** The median load time, seconds. */
  loadSeconds: number;
  samples: number;
  rows: number;
  issues: RowIssue[];
}

/**
 * Parses a load-latency file (`value`: a load time in milliseconds; other
 * columns ignored) and takes the median as the load time. Rows whose value
 * is not a positive number are skipped and reported. Throws when the column
 * is missing or no row is usable.
 */
export function parseLoadLatency(text: string): LoadLatency {
  const table = readTable(text);
  const i = table.header.indexOf(LOAD_LATENCY_COLUMN);
  if (i < 0)
    throw new Error(
      `load latency: missing required column ${LOAD_LATENCY_COLUMN} (header: ${
        table.header.join(',') || 'none'
      })`,
    );
  const issues = [...table.issues];
  const values: number[] = [];
  for (const { line, cells } of table.rows) {
    const raw = (cells[i] ?? '').trim();
    const v = raw === '' ? NaN : Number(raw);
    if (!Number.isFinite(v) || v <= 0) {
      issues.push({
        line,
        column: LOAD_LATENCY_COLUMN,
        message: `not a positive load time in ms: ${JSON.stringify(raw)}`,
      });
      continue;
    }
    values.push(v);
  }
  if (!values.length)
    throw new Error(
      `load latency: no usable ${LOAD_LATENCY_COLUMN} in any row`,
    );
  values.sort((a, b) => a - b);
  const mid = values.length >> 1;
  const medianMs =
    values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  return {
    loadSeconds: medianMs / 1000,
    samples: values.length,
    rows: table.rows.length,
    issues,
  };
}
