import type { KubeObject } from '@modelfleet/plugin-modelfleet-common';
import { modelDeployment } from './objects';

/**
 * The objects of a model `chat` that wakes on request, shaped like what
 * `modelfleet:manifests:render` produces for `wakeOn: http-addon` (an
 * HTTPScaledObject, and for business hours a ScaledObject reading its
 * requests) and `wakeOn: knative` (a Knative Service whose revision
 * template is the Deployment's pod). For tests.
 */
export function wakeObjects(namespace = 'models', name = 'chat') {
  const deployment = modelDeployment(namespace, name).find(
    o => o.kind === 'Deployment',
  ) as any;
  const meta = () => JSON.parse(JSON.stringify(deployment.metadata));
  const httpScaledObject: KubeObject = {
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: meta(),
    spec: {
      hosts: [
        `${name}.${namespace}.svc.cluster.local`,
        `${name}.${namespace}.svc`,
        `${name}.${namespace}`,
      ],
      pathPrefixes: ['/'],
      scaleTargetRef: {
        name,
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        service: name,
        port: 8000,
      },
      replicas: { min: 0, max: 2 },
      scaledownPeriod: 1800,
      timeouts: { conditionWait: '540s', responseHeader: '300s' },
    },
  };
  const scaledObject: KubeObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: meta(),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicaCount: 0,
      maxReplicaCount: 2,
      triggers: [
        {
          type: 'external-push',
          metadata: {
            scalerAddress: 'keda-add-ons-http-external-scaler.keda:9090',
            httpScaledObject: name,
          },
        },
      ],
    },
  };
  const knativeService: KubeObject = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: meta(),
    spec: {
      template: {
        metadata: {
          labels: { ...deployment.spec.template.metadata.labels },
          annotations: {
            'autoscaling.knative.dev/min-scale': '0',
            'autoscaling.knative.dev/max-scale': '2',
            'autoscaling.knative.dev/initial-scale': '1',
          },
        },
        spec: JSON.parse(JSON.stringify(deployment.spec.template.spec)),
      },
    },
  };
  return { httpScaledObject, scaledObject, knativeService };
}
