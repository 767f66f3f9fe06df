import { KubeObject } from '@modelfleet/plugin-modelfleet-common';

/** The Multi-Cluster Services API: a Service exported to the cluster set. */
export const SERVICE_EXPORT_API = 'multicluster.x-k8s.io/v1alpha1';

/**
 * A ServiceExport of a model's Service (Kubernetes Multi-Cluster Services,
 * KEP-1645): the cluster set sends the Service's clients, at
 * `<name>.<namespace>.svc.clusterset.local`, to its Ready endpoints on
 * every cluster that exports it.
 */
export const serviceExportOf = (
  namespace: string,
  service: string,
): KubeObject => ({
  apiVersion: SERVICE_EXPORT_API,
  kind: 'ServiceExport',
  metadata: {
    name: service,
    namespace,
    labels: { 'app.kubernetes.io/managed-by': 'modelfleet' },
  },
});
