import {
  GRPC_PORT,
  HTTP_PORT,
  MODEL_CLIENTS_LABEL,
  MONITORING,
  TRITON_METRICS_PORT,
} from './constants';
import { ResolvedRenderManifestsInput } from './input';

interface ObjectOptions {
  v: ResolvedRenderManifestsInput;
  meta: (name: string) => Record<string, any>;
  selector: Record<string, string>;
}

/** The model's ClusterIP Service: HTTP, plus gRPC and metrics for Triton. */
export function renderService({ v, meta, selector }: ObjectOptions) {
  const { name } = v;
  const runtime = v.model.runtime;
  const servicePorts: Array<Record<string, any>> = [
    {
      name: 'http',
      port: HTTP_PORT,
      targetPort: 'http',
      protocol: 'TCP',
      appProtocol: 'http',
    },
  ];
  if (runtime === 'triton') {
    servicePorts.push(
      {
        name: 'grpc',
        port: GRPC_PORT,
        targetPort: 'grpc',
        protocol: 'TCP',
        appProtocol: 'grpc',
      },
      {
        name: 'metrics',
        port: TRITON_METRICS_PORT,
        targetPort: 'metrics',
        protocol: 'TCP',
        appProtocol: 'http',
      },
    );
  }
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: { type: 'ClusterIP', selector, ports: servicePorts },
  };
  return service;
}

/**
 * Who may reach the model: clients in its namespace or in namespaces
 * labelled as model clients on the serving ports, monitoring on the
 * metrics port. Out: DNS and HTTPS (model downloads) only.
 */
export function renderNetworkPolicy({
  v,
  meta,
  selector,
  metricsPortName,
}: ObjectOptions & { metricsPortName: string }) {
  const { name } = v;
  const runtime = v.model.runtime;
  const servingPorts = [{ protocol: 'TCP', port: 'http' }];
  if (runtime === 'triton')
    servingPorts.push({ protocol: 'TCP', port: 'grpc' });
  const networkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { podSelector: {} },
            {
              namespaceSelector: {
                matchLabels: { [MODEL_CLIENTS_LABEL]: 'true' },
              },
            },
          ],
          ports: servingPorts,
        },
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: {
                  'kubernetes.io/metadata.name': MONITORING.namespace,
                },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: metricsPortName }],
        },
      ],
      egress: [
        {
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        {
          // Model download (Hugging Face, object storage, registries).
          to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    },
  };
  return networkPolicy;
}
