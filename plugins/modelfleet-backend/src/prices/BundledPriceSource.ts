import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  PriceFilter,
  PriceQuote,
  PriceSource,
} from '@modelfleet/plugin-modelfleet-node';
import fs from 'node:fs';
import {
  gcpGpuMemory,
  parseGcpDerived,
  parseGpuPrices,
} from './bundledCatalog';

/**
 * The offline default price source: real public list prices shipped with
 * the backend (see `data/prices/README.md`), read once.
 */
export class BundledPriceSource implements PriceSource {
  readonly id = 'bundled-catalog';
  #quotes?: PriceQuote[];

  constructor(
    private readonly dir: string = resolvePackagePath(
      '@modelfleet/plugin-modelfleet-backend',
      'data/prices',
    ),
  ) {}

  private load(): PriceQuote[] {
    if (!this.#quotes) {
      const prices = fs.readFileSync(`${this.dir}/gpu_prices.csv`, 'utf8');
      const gcp = fs.readFileSync(
        `${this.dir}/gcp_host_plus_gpu_DERIVED.csv`,
        'utf8',
      );
      this.#quotes = [
        ...parseGpuPrices(prices),
        ...parseGcpDerived(gcp, gcpGpuMemory(prices)),
      ];
    }
    return this.#quotes;
  }

  async listPrices(filter: PriceFilter = {}): Promise<PriceQuote[]> {
    const regions = filter.regions && new Set(filter.regions);
    const types = filter.instanceTypes && new Set(filter.instanceTypes);
    return this.load().filter(
      q =>
        (!filter.provider || q.provider === filter.provider) &&
        (!regions || regions.has(q.region)) &&
        (!types || types.has(q.instanceType)),
    );
  }
}
