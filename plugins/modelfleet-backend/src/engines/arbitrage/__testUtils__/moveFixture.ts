import { KubeObject } from '@modelfleet/plugin-modelfleet-common';
import { MigrationSource, MigrationTarget } from '../migration';

/** What the template's renderer gives for a model with a ScaledObject, in short. */
export function renderedObjects(
  name = 'chat',
  namespace = 'search',
): KubeObject[] {
  const labels = {
    'app.kubernetes.io/name': name,
    'modelfleet.io/model': name,
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, labels },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace,
        labels,
        annotations: { 'modelfleet.io/pool': 'gpupool:default/c2.l4' },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [] } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ port: 8000 }] },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { name },
        minReplicaCount: 0,
        maxReplicaCount: 4,
      },
    },
  ];
}

export const SOURCE: MigrationSource = {
  workload: {
    cluster: 'c1',
    namespace: 'search',
    kind: 'Deployment',
    name: 'chat',
  },
  autoscaler: {
    cluster: 'c1',
    namespace: 'search',
    kind: 'ScaledObject',
    name: 'chat',
  },
  replicas: { desired: 2, ready: 2 },
  pool: 'gpupool:default/c1.a10g',
  exported: false,
};

export const TARGET: MigrationTarget = {
  pool: 'gpupool:default/c2.l4',
  cluster: 'c2',
  title: 'l4 (c2)',
  objects: renderedObjects(),
};

export const TIMINGS = { provisioningSeconds: 180, loadSeconds: 90 };
