import { isUtcMidnight, nextUtcDay } from './days';

/**
 * The fields ModelFleet reads from one OpenCost allocation of one step.
 *
 * @public
 */
export interface OpenCostAllocation {
  /** The allocation's name: its aggregation key, e.g. `cluster-one/llama`. */
  name: string;
  /** `properties.cluster`, when OpenCost kept it. */
  cluster?: string;
  /** `properties.namespace`, when OpenCost kept it. */
  namespace?: string;
  /** Start of the step (a UTC midnight). */
  day: Date;
  totalCost: number;
  gpuHours?: number;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * OpenCost's own message from an error body: `message`, else `data` when it
 * is a string (older versions), else `status`.
 */
export function openCostMessage(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  for (const key of ['message', 'data', 'status', 'error']) {
    const v = body[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/**
 * Checks the `{code, status, data}` envelope of an `/allocation` answer and
 * returns `data`, one allocation set per step. Throws with OpenCost's message
 * when `code` is not 200.
 */
export function readEnvelope(body: unknown): unknown[] {
  if (!isObject(body)) {
    throw new Error(`the body is not a JSON object: ${describe(body)}`);
  }
  if (body.code !== 200) {
    const message = openCostMessage(body) ?? 'no message';
    throw new Error(
      `OpenCost answered code ${describe(body.code)}: ${message}`,
    );
  }
  if (!Array.isArray(body.data)) {
    throw new Error(
      `data is not an array of allocation sets (got ${describe(body.data)})`,
    );
  }
  return body.data;
}

function readDate(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const t = new Date(v);
  return isNaN(t.getTime()) ? undefined : t;
}

function readAllocation(
  key: string,
  raw: unknown,
  step: number,
): OpenCostAllocation {
  const where = `allocation '${key}' in set ${step}`;
  if (!isObject(raw)) {
    throw new Error(`${where} is not an object (got ${describe(raw)})`);
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : key;

  if (!isObject(raw.window)) {
    throw new Error(
      `${where}: window is missing or not an object (got ${describe(
        raw.window,
      )})`,
    );
  }
  const start = readDate(raw.window.start);
  if (!start) {
    throw new Error(
      `${where}: window.start is not a date (got ${describe(
        raw.window.start,
      )})`,
    );
  }
  const end = readDate(raw.window.end);
  if (!end) {
    throw new Error(
      `${where}: window.end is not a date (got ${describe(raw.window.end)})`,
    );
  }
  if (
    !isUtcMidnight(start) ||
    end <= start ||
    end.getTime() > nextUtcDay(start).getTime()
  ) {
    throw new Error(
      `${where}: window ${raw.window.start} – ${raw.window.end} is not one UTC day (the query asks for step=1d from a UTC midnight)`,
    );
  }

  const totalCost = raw.totalCost;
  if (typeof totalCost !== 'number' || !Number.isFinite(totalCost)) {
    throw new Error(
      `${where}: totalCost is not a number (got ${describe(totalCost)})`,
    );
  }
  let gpuHours: number | undefined;
  if (raw.gpuHours !== undefined && raw.gpuHours !== null) {
    if (typeof raw.gpuHours !== 'number' || !Number.isFinite(raw.gpuHours)) {
      throw new Error(
        `${where}: gpuHours is not a number (got ${describe(raw.gpuHours)})`,
      );
    }
    gpuHours = raw.gpuHours;
  }

  let cluster: string | undefined;
  let namespace: string | undefined;
  if (raw.properties !== undefined && raw.properties !== null) {
    if (!isObject(raw.properties)) {
      throw new Error(
        `${where}: properties is not an object (got ${describe(
          raw.properties,
        )})`,
      );
    }
    const p = raw.properties;
    if (typeof p.cluster === 'string' && p.cluster) cluster = p.cluster;
    if (typeof p.namespace === 'string' && p.namespace) namespace = p.namespace;
  }

  return { name, cluster, namespace, day: start, totalCost, gpuHours };
}

/**
 * Reads every allocation of every step set in `data`. A set may be `null` or
 * empty (a day without data). Throws naming the field and the allocation
 * when an entry is malformed.
 */
export function readAllocationSets(data: unknown[]): OpenCostAllocation[] {
  const out: OpenCostAllocation[] = [];
  data.forEach((set, step) => {
    if (set === null) return;
    if (!isObject(set)) {
      throw new Error(
        `data[${step}] is not a map of allocations (got ${describe(set)})`,
      );
    }
    for (const [key, raw] of Object.entries(set)) {
      out.push(readAllocation(key, raw, step));
    }
  });
  return out;
}
