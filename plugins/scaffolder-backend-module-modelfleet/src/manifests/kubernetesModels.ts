import fs from 'node:fs';
import path from 'node:path';
import { HTTPScaledObject } from './httpScaledObject';

/** What a kubernetes-models class offers: construct, then `validate()`. */
export interface KubernetesModelClass {
  new (data: any): { validate(): void };
}

/** Model classes by `<apiVersion>/<kind>`. */
export type KubernetesModelRegistry = Map<string, KubernetesModelClass>;

/**
 * The kinds the renderer produces, and where their classes live: a package
 * and the file inside it exporting the class named after the kind.
 */
const MODEL_FILES: Array<{
  apiVersion: string;
  kind: string;
  pkg:
    | 'kubernetes-models'
    | '@kubernetes-models/keda'
    | '@kubernetes-models/knative';
  file: string;
}> = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    pkg: 'kubernetes-models',
    file: 'v1/ConfigMap.js',
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    pkg: 'kubernetes-models',
    file: 'v1/PersistentVolumeClaim.js',
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    pkg: 'kubernetes-models',
    file: 'v1/Service.js',
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    pkg: 'kubernetes-models',
    file: 'v1/ServiceAccount.js',
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    pkg: 'kubernetes-models',
    file: 'apps/v1/Deployment.js',
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    pkg: 'kubernetes-models',
    file: 'autoscaling/v2/HorizontalPodAutoscaler.js',
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    pkg: 'kubernetes-models',
    file: 'policy/v1/PodDisruptionBudget.js',
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    pkg: 'kubernetes-models',
    file: 'networking.k8s.io/v1/NetworkPolicy.js',
  },
  {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    pkg: '@kubernetes-models/keda',
    file: 'keda.sh/v1alpha1/ScaledObject.js',
  },
  {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    pkg: '@kubernetes-models/knative',
    file: 'serving.knative.dev/v1/Service.js',
  },
];

/*
 * kubernetes-models and its @kubernetes-models/* packages are ESM-only, whose
 * `exports` only carry the `import` condition, so neither a static import
 * (transpiled to `require`) nor Jest's resolver can load them. The backend
 * loads them with a real dynamic `import()`, which Backstage's build leaves
 * as is. Jest without `--experimental-vm-modules` refuses dynamic imports;
 * there they are loaded with Node's own `require` of the file (require(esm),
 * Node ≥ 22.12), which sidesteps the package `exports` map.
 */
async function importModels(): Promise<Array<Record<string, unknown>>> {
  return Promise.all([
    import('kubernetes-models/v1/ConfigMap'),
    import('kubernetes-models/v1/PersistentVolumeClaim'),
    import('kubernetes-models/v1/Service'),
    import('kubernetes-models/v1/ServiceAccount'),
    import('kubernetes-models/apps/v1/Deployment'),
    import('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'),
    import('kubernetes-models/policy/v1/PodDisruptionBudget'),
    import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy'),
    import('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject'),
    import('@kubernetes-models/knative/serving.knative.dev/v1/Service'),
  ]);
}

function requireModelsNatively(): Array<Record<string, unknown>> {
  const nodeModule = process.getBuiltinModule?.('node:module');
  if (!nodeModule) {
    throw new Error('process.getBuiltinModule is unavailable (Node < 22.3)');
  }
  const nativeRequire = nodeModule.createRequire(__filename);
  const packageDir = (pkg: string) => {
    const base = (nativeRequire.resolve.paths(pkg) ?? []).find(dir =>
      fs.existsSync(path.join(dir, pkg, 'package.json')),
    );
    if (!base) throw new Error(`Cannot find package ${pkg}`);
    return path.join(base, pkg);
  };
  return MODEL_FILES.map(m =>
    nativeRequire(path.join(packageDir(m.pkg), m.file)),
  );
}

let registry: Promise<KubernetesModelRegistry> | undefined;

/**
 * Loads (once) the kubernetes-models classes of the kinds the renderer
 * produces, keyed `<apiVersion>/<kind>`, and the HTTPScaledObject check.
 */
export function loadKubernetesModels(): Promise<KubernetesModelRegistry> {
  registry ??= (async () => {
    let modules: Array<Record<string, unknown>>;
    try {
      modules = await importModels();
    } catch (importError) {
      try {
        modules = requireModelsNatively();
      } catch {
        throw importError;
      }
    }
    return new Map([
      ...MODEL_FILES.map(
        (m, i) =>
          [
            `${m.apiVersion}/${m.kind}`,
            modules[i][m.kind] as KubernetesModelClass,
          ] as const,
      ),
      // No kubernetes-models package has it: the add-on's CRD schema.
      ['http.keda.sh/v1alpha1/HTTPScaledObject', HTTPScaledObject],
    ]);
  })();
  registry.catch(() => {
    registry = undefined;
  });
  return registry;
}
