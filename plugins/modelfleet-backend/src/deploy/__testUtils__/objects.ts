import type { KubeObject } from '@modelfleet/plugin-modelfleet-common';

/**
 * The objects of a model named `chat`, shaped like what
 * `modelfleet:manifests:render` produces (non-root, no privilege escalation,
 * every capability dropped), in apply order: ServiceAccount, Deployment,
 * Service, ScaledObject, PodDisruptionBudget, NetworkPolicy.
 */
export function modelDeployment(
  namespace: string,
  name = 'chat',
): KubeObject[] {
  const labels = {
    'app.kubernetes.io/name': name,
    'modelfleet.io/model': name,
  };
  const meta = { name, namespace, labels };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { ...meta } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 1000,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'server',
                image: 'vllm/vllm-openai:v0.10.1.1',
                ports: [{ name: 'http', containerPort: 8000 }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                resources: { limits: { 'nvidia.com/gpu': '1' } },
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: { sizeLimit: '10Gi' } },
              { name: 'dshm', emptyDir: { medium: 'Memory' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...meta },
      spec: { selector: labels, ports: [{ name: 'http', port: 8000 }] },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { ...meta },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicaCount: 0,
        maxReplicaCount: 2,
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { ...meta },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { ...meta },
      spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'] },
    },
  ];
}
