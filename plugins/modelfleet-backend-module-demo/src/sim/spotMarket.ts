import fs from 'node:fs';
import path from 'node:path';
import { DemoPool } from '../definition';
import { seedOf } from '../replay';

/**
 * How to read a value of the spot traces (see data/spot-traces/SOURCE.txt):
 * - `interruptions` (the default): the outages of the `preemption` reading
 *   are interruptions: a zone loses its spot capacity when an outage of
 *   the trace begins (so its spot nodes are reclaimed, at the trace's
 *   times and rate: 3 to 8 a day per zone), and has it again one tick
 *   (195 s) later, so replacement nodes come up as they would in a market
 *   with more than one instance type;
 * - `preemption`: as the simulator of the paper that published them reads
 *   them, 1 means spot capacity is NOT available (the instance is
 *   preempted), 0 that it is; outages last as long as the trace says
 *   (an hour on average, up to days);
 * - `availability`: as the traces' README says, the value is the number of
 *   instances available, so 0 means none.
 *
 * @public
 */
export type SpotTraceReading = 'interruptions' | 'preemption' | 'availability';

/** The readings, for validating configuration and options. */
export const SPOT_TRACE_READINGS: readonly SpotTraceReading[] = [
  'interruptions',
  'preemption',
  'availability',
];

/** A spot availability trace: per tick, whether spot capacity is there. */
export interface SpotTrace {
  gapSeconds: number;
  available: Uint8Array;
}

export function parseSpotTrace(
  json: string,
  reading: SpotTraceReading,
): SpotTrace {
  const doc = JSON.parse(json) as {
    metadata?: { gap_seconds?: number };
    data?: number[];
  };
  const gap = doc.metadata?.gap_seconds;
  if (!gap || !Array.isArray(doc.data) || doc.data.length === 0) {
    throw new Error('a spot trace needs metadata.gap_seconds and data');
  }
  const data = doc.data;
  return {
    gapSeconds: gap,
    available: Uint8Array.from(data, (v, i) => {
      // The paper's simulator: 1 = preempted. The README: instances available.
      let available: boolean;
      if (reading === 'availability') available = v > 0;
      else if (reading === 'preemption') available = v < 1;
      // Interruptions: only the first tick of each outage (the trace loops).
      else
        available = !(v >= 1 && data[(i - 1 + data.length) % data.length] < 1);
      return available ? 1 : 0;
    }),
  };
}

/**
 * Which trace stands for which zone of the demo. The traces are of AWS
 * V100 spot instances in us-east-1 and us-east-2; they stand in for every
 * cloud's spot market. Each cloud gets one zone with much spot capacity
 * and one with less (under the default reading: us-east-1a 83 % of the
 * time, us-east-1f 59 %, us-east-1d 55 %, us-east-1c 53 %, us-east-2b
 * 32 %, us-east-2a 24 %).
 */
export const ZONE_TRACES: Record<string, string> = {
  'us-east-1a': 'aws-02-15-2023/us-east-1a_v100_1.json',
  'us-east-1b': 'aws-02-15-2023/us-east-2a_v100_1.json',
  'us-central1-a': 'aws-02-15-2023/us-east-1c_v100_1.json',
  'us-central1-c': 'aws-02-15-2023/us-east-2b_v100_1.json',
  'eastus-1': 'aws-02-15-2023/us-east-1f_v100_1.json',
  'eastus-2': 'aws-02-15-2023/us-east-1d_v100_1.json',
};

export function loadSpotTraces(
  dir: string,
  reading: SpotTraceReading,
): Map<string, SpotTrace> {
  const out = new Map<string, SpotTrace>();
  for (const [zone, file] of Object.entries(ZONE_TRACES)) {
    out.set(
      zone,
      parseSpotTrace(fs.readFileSync(path.join(dir, file), 'utf8'), reading),
    );
  }
  return out;
}

/**
 * Spot capacity over time, per pool and zone: the zone's trace, replayed
 * in a loop, shifted by a number of ticks drawn from the pool's name so
 * pools of one zone are not preempted in lockstep.
 */
export class SpotMarket {
  constructor(private readonly traces: Map<string, SpotTrace>) {}

  private locate(cluster: string, pool: DemoPool, zone: string, at: number) {
    const trace = this.traces.get(zone);
    if (!trace) return undefined;
    const n = trace.available.length;
    const shift = seedOf(`${cluster}/${pool.name}`) % n;
    const tick = Math.floor(at / 1000 / trace.gapSeconds);
    return { trace, n, index: (((tick + shift) % n) + n) % n, tick };
  }

  available(
    cluster: string,
    pool: DemoPool,
    zone: string,
    at: number,
  ): boolean {
    const l = this.locate(cluster, pool, zone, at);
    return !l || l.trace.available[l.index] === 1;
  }

  /** When availability next changes after `at` (ms), or undefined if never. */
  nextChange(
    cluster: string,
    pool: DemoPool,
    zone: string,
    at: number,
  ): number | undefined {
    const l = this.locate(cluster, pool, zone, at);
    if (!l) return undefined;
    const now = l.trace.available[l.index];
    for (let k = 1; k <= l.n; k++) {
      if (l.trace.available[(l.index + k) % l.n] !== now) {
        return (l.tick + k) * l.trace.gapSeconds * 1000;
      }
    }
    return undefined;
  }
}
