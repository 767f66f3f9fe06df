import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ModelPlacementsResponse } from '@modelfleet/plugin-modelfleet-common';

/** Where each Model runs now, by lower-case Model ref. */
export type PlacementLookup = (
  entityRef: string,
) => Promise<string[] | undefined>;

/**
 * Reads where each Model runs now from the ModelFleet backend
 * (`GET /placements`), at most once per `maxAgeMs` for all the entities
 * the catalog processes meanwhile. When the backend cannot be read, the
 * last answer stands (or none: the processor keeps the entity's own
 * `spec.runsOn`), and the failure is logged once until it answers again.
 */
export class PlacementReader {
  private byModel?: Map<string, string[]>;
  private readAt = -Infinity;
  private reading?: Promise<void>;
  private failing = false;

  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
      maxAgeMs?: number;
      now?: () => number;
      fetch?: typeof fetch;
    },
  ) {}

  readonly poolsOf: PlacementLookup = async entityRef => {
    await this.refresh();
    return this.byModel?.get(entityRef.toLocaleLowerCase('en-US'));
  };

  private async refresh(): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    if (now - this.readAt < (this.options.maxAgeMs ?? 60_000)) return;
    this.reading ??= this.read(now).finally(() => {
      this.reading = undefined;
    });
    await this.reading;
  }

  private async read(now: number): Promise<void> {
    const { discovery, auth, logger } = this.options;
    try {
      const baseUrl = await discovery.getBaseUrl('modelfleet');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'modelfleet',
      });
      const res = await (this.options.fetch ?? fetch)(`${baseUrl}/placements`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!res.ok) {
        throw new Error(
          `GET /placements answered ${res.status} ${res.statusText}`,
        );
      }
      const body = (await res.json()) as ModelPlacementsResponse;
      if (!body || !Array.isArray(body.items)) {
        throw new Error('GET /placements: the body has no items array');
      }
      this.byModel = new Map(
        body.items
          .filter(
            i =>
              typeof i?.entityRef === 'string' &&
              Array.isArray(i.pools) &&
              i.pools.every(p => typeof p === 'string'),
          )
          .map(i => [i.entityRef.toLocaleLowerCase('en-US'), i.pools]),
      );
      if (this.failing) logger.info('Model placements are read again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) {
        logger.warn(
          `Model placements could not be read; runsOn follows the entities' spec.runsOn meanwhile: ${e}`,
        );
      }
      this.failing = true;
    }
    // Read again after the same age, whether or not this read answered.
    this.readAt = now;
  }
}
