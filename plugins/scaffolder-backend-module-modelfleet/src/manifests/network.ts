import {
  GRPC_PORT,
  HTTP_PORT,
  KEDA_HTTP_ADDON,
  KNATIVE,
  MODEL_CLIENTS_LABEL,
  MONITORING,
  TRITON_METRICS_PORT,
} from './constants';
import { ResolvedRenderManifestsInput } from './input';
import { wakeModeOf } from './wake';

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
 * labelled as model clients on the serving ports (and the KEDA HTTP
 * add-on's interceptor, which forwards the requests it held), monitoring
 * on the metrics port. A Knative revision is reached through the activator
 * only (see renderKnativeService), on the queue-proxy's port, and the
 * autoscaler scrapes the queue-proxy: those ports are numbers, as the
 * revision's pod names none of them. In the sleep idle tier clients reach
 * the wake gate (`http`) and monitoring vLLM's `engine` port, which serves
 * the metrics; its sleep endpoints are called through the API server's pod
 * proxy, which NetworkPolicy does not select (see the README). Out: DNS
 * and HTTPS (model downloads) only.
 */
export function renderNetworkPolicy({
  v,
  meta,
  selector,
  metricsPortName,
  metricsPort,
}: ObjectOptions & { metricsPortName: string; metricsPort: number }) {
  const { name } = v;
  const runtime = v.model.runtime;
  const wakeOn = wakeModeOf(v);
  const fromNamespace = (ns: string) => ({
    namespaceSelector: {
      matchLabels: { 'kubernetes.io/metadata.name': ns },
    },
  });
  const tcp = (port: string | number) => ({ protocol: 'TCP', port });
  let ingress: Array<Record<string, any>>;
  if (wakeOn === 'knative') {
    ingress = [
      {
        from: [fromNamespace(KNATIVE.namespace)],
        ports: [
          tcp(KNATIVE.queueProxyPort),
          tcp(KNATIVE.queueProxyMetricsPort),
        ],
      },
      {
        from: [fromNamespace(MONITORING.namespace)],
        ports: [tcp(metricsPort)],
      },
    ];
  } else {
    const servingPorts = [tcp('http')];
    if (runtime === 'triton') servingPorts.push(tcp('grpc'));
    ingress = [
      {
        from: [
          { podSelector: {} },
          {
            namespaceSelector: {
              matchLabels: { [MODEL_CLIENTS_LABEL]: 'true' },
            },
          },
          ...(wakeOn === 'http-addon'
            ? [fromNamespace(KEDA_HTTP_ADDON.namespace)]
            : []),
        ],
        ports: servingPorts,
      },
      {
        from: [fromNamespace(MONITORING.namespace)],
        ports: [tcp(metricsPortName)],
      },
    ];
  }
  const networkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
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
