import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { PlacementPool } from '../engines/placement';
import type { PoolRisk } from './ArbitrageReports';

/** Days in an average month (730 h). */
const DAYS_PER_MONTH = 730 / 24;

/**
 * The preemption rate and availability of spot capacity from availability
 * traces (one value per tick of `gapSeconds`), read the way the paper that
 * published them reads them: 1 is a tick without spot capacity. A
 * preemption is a tick that has none after one that had it; availability
 * is the share of ticks with capacity. Pooled over the traces given.
 */
export function spotPriorOf(
  traces: Array<{ gapSeconds: number; data: number[] }>,
  source: string,
): PoolRisk | undefined {
  let ticks = 0;
  let seconds = 0;
  let down = 0;
  let preemptions = 0;
  for (const t of traces) {
    if (!(t.gapSeconds > 0) || t.data.length === 0) continue;
    ticks += t.data.length;
    seconds += t.data.length * t.gapSeconds;
    for (let i = 0; i < t.data.length; i++) {
      if (t.data[i] !== 1) continue;
      down += 1;
      if (i > 0 && t.data[i - 1] !== 1) preemptions += 1;
    }
  }
  if (ticks === 0) return undefined;
  const months = seconds / 86_400 / DAYS_PER_MONTH;
  return {
    preemptionsPerNodeMonth: preemptions / months,
    availability: 1 - down / ticks,
    source,
  };
}

/**
 * The spot prior of the traces bundled with the backend
 * (`data/spot-traces`, see its SOURCE.txt): every file of one folder;
 * undefined when none can be read.
 */
export function readBundledSpotPrior(
  dir = resolvePackagePath(
    '@modelfleet/plugin-modelfleet-backend',
    'data/spot-traces/aws-02-15-2023',
  ),
): PoolRisk | undefined {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter(f => f.endsWith('.json'));
  } catch {
    return undefined;
  }
  const traces = files.flatMap(f => {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const gapSeconds = Number(raw?.metadata?.gap_seconds);
      const data = Array.isArray(raw?.data) ? raw.data.map(Number) : [];
      return [{ gapSeconds, data }];
    } catch {
      return [];
    }
  });
  return spotPriorOf(
    traces,
    `no preemption history of its own yet: the prior of the bundled AWS spot traces (${traces.length} zones, p3.2xlarge, Feb–Mar 2023; a tick is without capacity when its value is 1)`,
  );
}

/**
 * A pool's risk: on-demand and reserved capacity is not preempted; spot
 * capacity has the prior's (until a pool's own history is kept).
 */
export function createPoolRisk(
  spotPrior: PoolRisk | undefined,
): (pool: PlacementPool) => PoolRisk {
  return pool => {
    if (pool.capacityType !== 'spot') {
      return {
        preemptionsPerNodeMonth: 0,
        availability: 1,
        source: `${pool.capacityType} capacity is not preempted`,
      };
    }
    return (
      spotPrior ?? {
        preemptionsPerNodeMonth: 0,
        availability: 1,
        source: 'no spot history known: preemptions not counted',
      }
    );
  };
}
