/*
 * The names people read for the models and teams recommendations are
 * about: a Model's `metadata.title` (else its name), a Group's
 * `spec.profile.displayName` (else its title, else its name). Never an
 * entity ref.
 */
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GpuPoolStatus,
  MODEL_KIND,
  poolEntityName,
} from '@modelfleet/plugin-modelfleet-common';

/** Names of models and teams, by entity ref (any case). */
export interface EntityNames {
  model(ref: string): string;
  team(ref: string): string;
  /** A Model's `spec.replicas.min` (what its rendered PodDisruptionBudget keeps), when set. */
  minReplicas?(ref: string): number | undefined;
  /** A Model's `spec.gpu.memoryGiB` (the GPU memory a replica asks a pool for), when set. */
  gpuMemoryGiB?(ref: string): number | undefined;
}

/** Where the names come from (the catalog), read once per pass. */
export interface EntityNamesSource {
  names(): Promise<EntityNames>;
}

/** The name part of an entity ref (`search-reranker` of `model:default/search-reranker`). */
export function nameOfRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

type NamedEntity = {
  kind: string;
  metadata: { name: string; namespace?: string; title?: string };
  spec?: {
    profile?: { displayName?: unknown };
    replicas?: { min?: unknown };
    gpu?: { memoryGiB?: unknown };
  };
};

/** Names from catalog entities; an entity not among them goes by its ref's name. */
export function entityNamesOf(entities: NamedEntity[]): EntityNames {
  const byRef = new Map<string, string>();
  const minReplicas = new Map<string, number>();
  const memory = new Map<string, number>();
  for (const e of entities) {
    const ref = stringifyEntityRef({
      kind: e.kind,
      namespace: e.metadata.namespace ?? 'default',
      name: e.metadata.name,
    }).toLocaleLowerCase('en-US');
    const min = e.spec?.replicas?.min;
    if (typeof min === 'number' && Number.isInteger(min) && min >= 0) {
      minReplicas.set(ref, min);
    }
    const gib = e.spec?.gpu?.memoryGiB;
    if (typeof gib === 'number' && Number.isFinite(gib) && gib > 0) {
      memory.set(ref, gib);
    }
    const display = e.spec?.profile?.displayName;
    const name =
      (typeof display === 'string' && display.trim()) ||
      e.metadata.title?.trim() ||
      e.metadata.name;
    byRef.set(ref, name);
  }
  const of = (ref: string) =>
    byRef.get(ref.toLocaleLowerCase('en-US')) ?? nameOfRef(ref);
  return {
    model: of,
    team: of,
    minReplicas: ref => minReplicas.get(ref.toLocaleLowerCase('en-US')),
    gpuMemoryGiB: ref => memory.get(ref.toLocaleLowerCase('en-US')),
  };
}

/** Names from the refs alone: what is known without a catalog. */
export const REF_NAMES: EntityNames = entityNamesOf([]);

/** A pool as the arbitrage cards and the catalog title it: `g6-l4-spot (demo-aws-use1)`. */
export function poolTitle(p: { name: string; cluster: string }): string {
  return `${p.name} (${p.cluster})`;
}

/**
 * Where a move goes, in words, by GpuPool ref: `L4 on g6-l4 (demo-aws-use1)`;
 * a pool not known goes by its ref's name.
 */
export function poolPlaces(pools: GpuPoolStatus[]): (ref: string) => string {
  const byRef = new Map(
    pools.map(p => [
      `gpupool:default/${poolEntityName(p.cluster, p.name)}`.toLocaleLowerCase(
        'en-US',
      ),
      `${p.gpu.product} on ${poolTitle(p)}`,
    ]),
  );
  return ref => byRef.get(ref.toLocaleLowerCase('en-US')) ?? nameOfRef(ref);
}

/**
 * The names of the catalog's Model and Group entities, read with the
 * backend's own credentials. A catalog that does not answer leaves the
 * refs' names (and a warning): a recommendation is still worth showing.
 */
export class CatalogEntityNames implements EntityNamesSource {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  async names(): Promise<EntityNames> {
    try {
      const { items } = await this.catalog.getEntities(
        {
          filter: [{ kind: MODEL_KIND }, { kind: 'Group' }],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.title',
            'spec.profile.displayName',
            'spec.replicas',
            'spec.gpu.memoryGiB',
          ],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      return entityNamesOf(items as NamedEntity[]);
    } catch (e) {
      this.logger.warn(
        `Recommendations: the catalog's model and team names could not be read, refs' names are used: ${e}`,
      );
      return REF_NAMES;
    }
  }
}
