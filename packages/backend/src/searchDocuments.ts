/*
 * What search indexes of a catalog entity. Backstage's default document has
 * the title and description only; a Model is also found by its name, the
 * model it serves (the Hugging Face id or registry URI), its runtime and
 * GPUs, and a GpuPool by its cluster, cloud, region, instance type and GPU.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  catalogCollatorExtensionPoint,
  CatalogCollatorEntityTransformer,
  defaultCatalogCollatorEntityTransformer,
} from '@backstage/plugin-search-backend-module-catalog';

const MODELFLEET_API_VERSION = 'modelfleet.io/v1alpha1';

type Spec = Record<string, unknown>;

const text = (value: unknown): string[] => {
  if (typeof value === 'string' || typeof value === 'number') {
    return [String(value)];
  }
  if (Array.isArray(value)) return value.flatMap(text);
  return [];
};

const objectAt = (spec: Spec, key: string): Spec => {
  const value = spec[key];
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Spec)
    : {};
};

/** The words a ModelFleet kind adds to its document, or none. */
export function modelfleetTerms(entity: Entity): string[] {
  if (entity.apiVersion !== MODELFLEET_API_VERSION) return [];
  const spec: Spec = entity.spec ?? {};
  switch (entity.kind.toLocaleLowerCase('en-US')) {
    case 'model': {
      const gpu = objectAt(spec, 'gpu');
      const workload = objectAt(spec, 'workload');
      return [
        entity.metadata.name,
        ...text(spec.source),
        ...text(spec.runtime),
        ...text(gpu.types),
        ...text(workload.cluster),
      ];
    }
    case 'gpupool': {
      const gpu = objectAt(spec, 'gpu');
      return [
        entity.metadata.name,
        ...text(spec.cluster),
        ...text(spec.provider),
        ...text(spec.region),
        ...text(spec.instanceType),
        ...text(spec.capacityType),
        ...text(gpu.product),
      ];
    }
    default:
      return [];
  }
}

/**
 * Backstage's default document, with {@link modelfleetTerms} added to the
 * text of a Model or GpuPool.
 */
export const modelfleetEntityTransformer: CatalogCollatorEntityTransformer =
  entity => {
    const document = defaultCatalogCollatorEntityTransformer(entity);
    const terms = modelfleetTerms(entity).filter(Boolean);
    if (terms.length === 0) return document;
    return {
      ...document,
      text: [document.text, ...new Set(terms)].filter(Boolean).join(' : '),
    };
  };

/** Makes the catalog collator index ModelFleet's kinds with their terms. */
export const searchModuleModelfleetDocuments = createBackendModule({
  pluginId: 'search',
  moduleId: 'modelfleet-documents',
  register(env) {
    env.registerInit({
      deps: { collator: catalogCollatorExtensionPoint },
      async init({ collator }) {
        collator.setEntityTransformer(modelfleetEntityTransformer);
      },
    });
  },
});
