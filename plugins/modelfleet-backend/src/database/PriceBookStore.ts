import { PriceFilter, PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';

const PRICES = 'modelfleet_prices';
const KEY = [
  'provider',
  'instance_type',
  'region',
  'zone',
  'capacity_type',
  'source',
];

type PriceRow = {
  provider: PriceQuote['provider'];
  instance_type: string;
  region: string;
  zone: string;
  capacity_type: PriceQuote['capacityType'];
  usd_per_hour: number | string | null;
  gpu_product: string | null;
  gpu_count: number | string | null;
  gpu_memory_mib: number | null;
  source: string;
  observed_at: Date | string | number;
  flags: string;
};

function toQuote(r: PriceRow): PriceQuote {
  return {
    provider: r.provider,
    instanceType: r.instance_type,
    region: r.region,
    ...(r.zone ? { zone: r.zone } : {}),
    capacityType: r.capacity_type,
    usdPerHour: r.usd_per_hour === null ? null : Number(r.usd_per_hour),
    ...(r.gpu_product
      ? {
          gpu: {
            product: r.gpu_product,
            count: Number(r.gpu_count),
            ...(r.gpu_memory_mib ? { memoryMiB: r.gpu_memory_mib } : {}),
          },
        }
      : {}),
    source: r.source,
    observedAt: new Date(r.observed_at).toISOString(),
    flags: JSON.parse(r.flags),
  };
}

/**
 * Prices by source and time, history kept. Recording a quote already stored
 * (same machine, place, capacity type, source and time) changes nothing.
 *
 * @internal
 */
export class PriceBookStore {
  /** Expects the plugin's migrations to have run (DatabaseModelFleetStore). */
  constructor(private readonly db: Knex) {}

  /** Stores quotes not stored yet; returns how many were new. */
  async record(quotes: PriceQuote[], recordedAt: Date): Promise<number> {
    const before = await this.count();
    const rows = quotes.map(q => ({
      provider: q.provider,
      instance_type: q.instanceType,
      region: q.region,
      zone: q.zone ?? '',
      capacity_type: q.capacityType,
      usd_per_hour: q.usdPerHour,
      gpu_product: q.gpu?.product ?? null,
      gpu_count: q.gpu?.count ?? null,
      gpu_memory_mib: q.gpu?.memoryMiB ?? null,
      source: q.source,
      observed_at: new Date(q.observedAt),
      flags: JSON.stringify(q.flags ?? []),
      recorded_at: recordedAt,
    }));
    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += 200) {
        await tx(PRICES)
          .insert(rows.slice(i, i + 200))
          .onConflict([...KEY, 'observed_at'])
          .ignore();
      }
    });
    return (await this.count()) - before;
  }

  private async count(): Promise<number> {
    const [{ n }] = await this.db(PRICES).count({ n: '*' });
    return Number(n);
  }

  /** The newest price of each machine, place, capacity type and source. */
  async latest(
    filter: PriceFilter & { gpu?: string } = {},
  ): Promise<PriceQuote[]> {
    const scope = (q: Knex.QueryBuilder) => {
      if (filter.provider) q.where('provider', filter.provider);
      if (filter.regions?.length) q.whereIn('region', filter.regions);
      if (filter.instanceTypes?.length)
        q.whereIn('instance_type', filter.instanceTypes);
      if (filter.gpu) q.where('gpu_product', filter.gpu);
      return q;
    };
    const newest = scope(
      this.db(PRICES)
        .select(...KEY)
        .max({ newest: 'observed_at' })
        .groupBy(KEY),
    ).as('n');
    const rows: PriceRow[] = await this.db(PRICES)
      .join(newest, function join() {
        for (const k of KEY) this.on(`${PRICES}.${k}`, '=', `n.${k}`);
        this.andOn(`${PRICES}.observed_at`, '=', 'n.newest');
      })
      .select(`${PRICES}.*`)
      .orderBy([
        `${PRICES}.provider`,
        `${PRICES}.region`,
        `${PRICES}.instance_type`,
        `${PRICES}.zone`,
        `${PRICES}.capacity_type`,
      ]);
    return rows.map(toQuote);
  }

  /** Every price recorded for the given machines, any zone and capacity type. */
  async historyOf(
    provider: string,
    region: string,
    instanceTypes: string[],
  ): Promise<PriceQuote[]> {
    const rows: PriceRow[] = await this.db(PRICES)
      .where({ provider, region })
      .whereIn('instance_type', instanceTypes)
      .orderBy('observed_at');
    return rows.map(toQuote);
  }

  /** Every price recorded for one machine, place and capacity type, oldest first. */
  async history(key: {
    provider: string;
    instanceType: string;
    region: string;
    zone?: string;
    capacityType: string;
  }): Promise<PriceQuote[]> {
    const rows: PriceRow[] = await this.db(PRICES)
      .where({
        provider: key.provider,
        instance_type: key.instanceType,
        region: key.region,
        zone: key.zone ?? '',
        capacity_type: key.capacityType,
      })
      .orderBy('observed_at');
    return rows.map(toQuote);
  }
}
