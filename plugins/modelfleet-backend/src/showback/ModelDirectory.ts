import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { MODEL_KIND } from '@modelfleet/plugin-modelfleet-common';

/** The workload a model sample came from. */
export interface WorkloadKey {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  modelId: string;
}

/** Maps workloads to their Model entity and owning team. */
export type ModelLookup = (w: WorkloadKey) => {
  modelRef: string;
  teamRef: string;
};

/** Reads the Model entities of the catalog. */
export interface ModelDirectory {
  /**
   * The lookup of the Model entities now. With `expectModels` (there are
   * workloads to map), an empty catalog is taken for one still starting up.
   */
  lookup(options?: { expectModels?: boolean }): Promise<ModelLookup>;
}

/**
 * Maps a workload to the Model entity whose `spec.workload` names it, else
 * to the Model named like its model id; a workload without one is its own
 * model (`model:default/<id>`) with no team.
 */
export function modelLookupOf(
  entities: Array<{
    metadata: { name: string; namespace?: string };
    spec?: Record<string, any>;
  }>,
): ModelLookup {
  const byWorkload = new Map<string, { modelRef: string; teamRef: string }>();
  const byName = new Map<string, { modelRef: string; teamRef: string }>();
  for (const e of entities) {
    const modelRef = stringifyEntityRef({
      kind: MODEL_KIND,
      ...e.metadata,
    }).toLocaleLowerCase('en-US');
    const v = { modelRef, teamRef: ownerTeamRef(e) };
    const w = e.spec?.workload;
    if (w?.cluster && w?.namespace && w?.name) {
      byWorkload.set(
        `${w.cluster}/${w.namespace}/${w.kind ?? 'Deployment'}/${w.name}`,
        v,
      );
    }
    if (!byName.has(e.metadata.name)) byName.set(e.metadata.name, v);
  }
  return w =>
    byWorkload.get(`${w.cluster}/${w.namespace}/${w.kind}/${w.name}`) ??
    byName.get(w.modelId) ?? {
      modelRef: `model:default/${w.modelId}`.toLocaleLowerCase('en-US'),
      teamRef: '',
    };
}

/**
 * The owning Group of a Model entity (`spec.owner`, relative to the
 * entity's namespace), as a lower-case ref; empty when it has none or it
 * is not a ref.
 */
export function ownerTeamRef(e: {
  metadata: { namespace?: string };
  spec?: Record<string, any>;
}): string {
  const owner = typeof e.spec?.owner === 'string' ? e.spec.owner : '';
  if (!owner) return '';
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: e.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return '';
  }
}

/**
 * The Model entities of the Backstage catalog. At backend start the catalog
 * may not answer yet, or not have read its locations: a failed or (when
 * models are expected) empty answer is retried with backoff, so the first
 * roll-up does not store costs without their teams.
 */
export class CatalogModelDirectory implements ModelDirectory {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly options: {
      /** Waits before each retry, in ms. */
      retryDelaysMs?: number[];
      sleep?: (ms: number) => Promise<void>;
      logger?: { warn(message: string): void };
    } = {},
  ) {}

  async lookup(options: { expectModels?: boolean } = {}): Promise<ModelLookup> {
    const delays = this.options.retryDelaysMs ?? [
      2_000, 5_000, 10_000, 20_000, 40_000, 60_000,
    ];
    const sleep =
      this.options.sleep ?? (ms => new Promise(r => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      try {
        const items = await this.read();
        if (items.length || !options.expectModels)
          return modelLookupOf(items as any);
        problem = 'the catalog has no Model entities yet';
      } catch (e) {
        problem = `the catalog could not be read: ${
          e instanceof Error ? e.message : e
        }`;
      }
      if (attempt >= delays.length) {
        if (problem.startsWith('the catalog has no')) {
          this.options.logger?.warn(
            `Showback: ${problem}; workloads are costed without teams`,
          );
          return modelLookupOf([]);
        }
        throw new Error(problem);
      }
      await sleep(delays[attempt]);
    }
  }

  private async read() {
    const { items } = await this.catalog.getEntities(
      {
        filter: { kind: MODEL_KIND },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
          'spec.workload',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items;
  }
}
