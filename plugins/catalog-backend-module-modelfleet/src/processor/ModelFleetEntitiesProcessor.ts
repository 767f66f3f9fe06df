import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  RELATION_API_PROVIDED_BY,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  gpuPoolEntityV1alpha1Validator,
  isGpuPoolEntity,
  isModelEntity,
  modelEntityV1alpha1Validator,
  RELATION_HOSTS,
  RELATION_RUNS_ON,
} from '@modelfleet/plugin-modelfleet-common';
import { PlacementLookup } from './PlacementReader';

/**
 * Validates the `Model` and `GpuPool` kinds and emits their relations:
 * `ownedBy`/`ownerOf` (owner), `runsOn`/`hosts` (Model ↔ GpuPool: where
 * it runs now, else its `spec.runsOn`),
 * `partOf`/`hasPart` (GpuPool ↔ cluster Resource, Model ↔ System) and
 * `dependencyOf`/`dependsOn` (Model ↔ the Components that call it), and
 * `providesApi`/`dependsOn` to the Red Hat Developer Hub `API` (type
 * `ai-model-server`) and `Resource` (type `ai-model`) that describe the same
 * model, so it is linked rather than described twice.
 *
 * @public
 */
export class ModelFleetEntitiesProcessor implements CatalogProcessor {
  /**
   * @param options.placements - where each Model runs now; a Model that
   * runs somewhere gets `runsOn` those pools (after a move, its spot
   * companions, its stand-in), else the pools of its `spec.runsOn`.
   */
  constructor(
    private readonly options: { placements?: PlacementLookup } = {},
  ) {}

  private readonly validators = [
    modelEntityV1alpha1Validator,
    gpuPoolEntityV1alpha1Validator,
  ];

  getProcessorName(): string {
    return 'ModelFleetEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    for (const validator of this.validators) {
      if (await validator.check(entity)) {
        return true;
      }
    }
    return false;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const self = getCompoundEntityRef(entity);

    const link = (
      targets: string | string[] | undefined,
      defaultKind: string,
      forward: string,
      backward: string,
    ) => {
      for (const target of ([] as string[]).concat(targets ?? [])) {
        const ref = parseEntityRef(target, {
          defaultKind,
          defaultNamespace: self.namespace,
        });
        emit(
          processingResult.relation({
            source: self,
            type: forward,
            target: ref,
          }),
        );
        emit(
          processingResult.relation({
            source: ref,
            type: backward,
            target: self,
          }),
        );
      }
    };

    if (isModelEntity(entity)) {
      const { spec } = entity;
      link(spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
      link(spec.system, 'System', RELATION_PART_OF, RELATION_HAS_PART);
      const runsNow = await this.options
        .placements?.(stringifyEntityRef(entity))
        .catch(() => undefined);
      link(
        runsNow?.length ? runsNow : spec.runsOn,
        'GpuPool',
        RELATION_RUNS_ON,
        RELATION_HOSTS,
      );
      link(
        spec.dependencyOf,
        'Component',
        RELATION_DEPENDENCY_OF,
        RELATION_DEPENDS_ON,
      );
      // Red Hat Developer Hub describes model servers as APIs of type
      // ai-model-server and models as Resources of type ai-model: a Model
      // links to them with the relations Backstage already shows.
      link(
        spec.providesApis,
        'API',
        RELATION_PROVIDES_API,
        RELATION_API_PROVIDED_BY,
      );
      link(
        spec.dependsOn,
        'Resource',
        RELATION_DEPENDS_ON,
        RELATION_DEPENDENCY_OF,
      );
    } else if (isGpuPoolEntity(entity)) {
      const { spec } = entity;
      link(spec.owner, 'Group', RELATION_OWNED_BY, RELATION_OWNER_OF);
      link(spec.cluster, 'Resource', RELATION_PART_OF, RELATION_HAS_PART);
    }
    return entity;
  }
}
