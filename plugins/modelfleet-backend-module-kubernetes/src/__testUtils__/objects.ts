import type {
  V1Deployment,
  V1Node,
  V1OwnerReference,
  V1LabelSelector,
  V1Pod,
  V1PodDisruptionBudget,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type {
  InferenceService,
  InferenceServicePredictor,
} from '../mapping/workloads';

type Labels = Record<string, string>;

export function node(
  name: string,
  labels: Labels,
  allocatable: Labels = {},
  providerID?: string,
): V1Node {
  return {
    metadata: { name, labels },
    ...(providerID ? { spec: { providerID } } : {}),
    status: {
      allocatable: { cpu: '8', memory: '32Gi', pods: '110', ...allocatable },
      capacity: { cpu: '8', memory: '32Gi', pods: '110', ...allocatable },
    },
  };
}

export function pod(
  name: string,
  options: {
    namespace?: string;
    node?: string;
    labels?: Labels;
    requests?: Labels;
    limits?: Labels;
    phase?: string;
    ready?: boolean;
  } = {},
): V1Pod {
  const { phase = 'Running', ready = phase === 'Running' } = options;
  return {
    metadata: {
      name,
      namespace: options.namespace ?? 'serving',
      labels: options.labels ?? {},
    },
    spec: {
      ...(options.node ? { nodeName: options.node } : {}),
      containers: [
        {
          name: 'server',
          image: 'vllm/vllm-openai:v0.6.3',
          resources: {
            ...(options.requests ? { requests: options.requests } : {}),
            ...(options.limits ? { limits: options.limits } : {}),
          },
        },
      ],
    },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

interface WorkloadOptions {
  namespace?: string;
  labels?: Labels;
  annotations?: Labels;
  replicas?: number;
  readyReplicas?: number;
  /** The `app` label of the selector and pod template; defaults to the name. */
  app?: string;
  limits?: Labels;
  requests?: Labels;
  nodeSelector?: Labels;
  ownerReferences?: V1OwnerReference[];
}

function workload(name: string, o: WorkloadOptions) {
  const app = o.app ?? name;
  return {
    metadata: {
      name,
      namespace: o.namespace ?? 'serving',
      labels: o.labels ?? {},
      annotations: o.annotations ?? {},
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels: { app } },
        spec: {
          ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
          containers: [
            {
              name: 'server',
              image: 'vllm/vllm-openai:v0.6.3',
              resources: {
                ...(o.requests ? { requests: o.requests } : {}),
                ...(o.limits ? { limits: o.limits } : {}),
              },
            },
          ],
        },
      },
    },
    status: { readyReplicas: o.readyReplicas ?? 0 },
  };
}

export function deployment(
  name: string,
  options: WorkloadOptions = {},
): V1Deployment {
  return workload(name, options);
}

export function statefulSet(
  name: string,
  options: WorkloadOptions = {},
): V1StatefulSet {
  const w = workload(name, options);
  return {
    ...w,
    spec: { ...w.spec, serviceName: name },
    status: { replicas: w.spec.replicas, ...w.status },
  };
}

export function inferenceService(
  name: string,
  options: {
    namespace?: string;
    labels?: Labels;
    annotations?: Labels;
    predictor: InferenceServicePredictor;
  },
): InferenceService {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name,
      namespace: options.namespace ?? 'serving',
      labels: options.labels ?? {},
      annotations: options.annotations ?? {},
    },
    spec: { predictor: options.predictor },
  };
}

/**
 * A `policy/v1` PodDisruptionBudget; with `allowed`, the status the
 * disruption controller writes for its current generation (or for an
 * older one, with `observedGeneration`).
 */
export function podDisruptionBudget(
  name: string,
  options: {
    namespace?: string;
    /** `null` for a budget with no selector. */
    selector: V1LabelSelector | null;
    allowed?: number;
    generation?: number;
    observedGeneration?: number;
  },
): V1PodDisruptionBudget {
  const generation = options.generation ?? 1;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: {
      name,
      namespace: options.namespace ?? 'serving',
      generation,
    },
    spec: {
      maxUnavailable: 1,
      ...(options.selector ? { selector: options.selector } : {}),
    },
    ...(options.allowed !== undefined
      ? {
          status: {
            observedGeneration: options.observedGeneration ?? generation,
            disruptionsAllowed: options.allowed,
            currentHealthy: 0,
            desiredHealthy: 0,
            expectedPods: 0,
          },
        }
      : {}),
  };
}

/** Labels of GPU feature discovery. */
export function gfd(
  product: string,
  count: number,
  memoryMiB: number,
  extra: Labels = {},
): Labels {
  return {
    'nvidia.com/gpu.present': 'true',
    'nvidia.com/gpu.product': product,
    'nvidia.com/gpu.count': String(count),
    'nvidia.com/gpu.memory': String(memoryMiB),
    ...extra,
  };
}

/** Nodes of real shapes on each platform. */
export const NODES = {
  /** EKS managed node group of p4d.24xlarge (8x A100 40GB), on demand. */
  eksA100: (name = 'ip-10-0-1-17.ec2.internal') =>
    node(
      name,
      {
        'eks.amazonaws.com/nodegroup': 'gpu-a100',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'node.kubernetes.io/instance-type': 'p4d.24xlarge',
        'topology.kubernetes.io/region': 'us-east-1',
        'topology.kubernetes.io/zone': 'us-east-1a',
        ...gfd('NVIDIA-A100-SXM4-40GB', 8, 40960),
      },
      { 'nvidia.com/gpu': '8' },
      'aws:///us-east-1a/i-0a1b2c3d4e5f60001',
    ),
  /** EKS node group of p5.48xlarge (8x H100) cut into 1g.10gb MIG slices. */
  eksMigH100: (name = 'ip-10-0-2-40.ec2.internal') =>
    node(
      name,
      {
        'eks.amazonaws.com/nodegroup': 'mig-h100',
        'eks.amazonaws.com/capacityType': 'ON_DEMAND',
        'node.kubernetes.io/instance-type': 'p5.48xlarge',
        'topology.kubernetes.io/region': 'us-east-1',
        'topology.kubernetes.io/zone': 'us-east-1b',
        ...gfd('NVIDIA-H100-80GB-HBM3', 8, 81559, {
          'nvidia.com/mig.strategy': 'mixed',
          'nvidia.com/mig-1g.10gb.count': '56',
        }),
      },
      { 'nvidia.com/gpu': '0', 'nvidia.com/mig-1g.10gb': '56' },
      'aws:///us-east-1b/i-0a1b2c3d4e5f60002',
    ),
  /** Karpenter NodePool of g5.12xlarge (4x A10G) on spot, time-sliced 4 ways. */
  karpenterA10g: (name = 'ip-10-0-3-9.ec2.internal') =>
    node(
      name,
      {
        'karpenter.sh/nodepool': 'inference',
        'karpenter.sh/capacity-type': 'spot',
        'karpenter.k8s.aws/instance-gpu-name': 'a10g',
        'node.kubernetes.io/instance-type': 'g5.12xlarge',
        'topology.kubernetes.io/region': 'us-east-1',
        'topology.kubernetes.io/zone': 'us-east-1c',
        ...gfd('NVIDIA-A10G-SHARED', 4, 23028, {
          'nvidia.com/gpu.replicas': '4',
        }),
      },
      { 'nvidia.com/gpu': '16' },
      'aws:///us-east-1c/i-0a1b2c3d4e5f60003',
    ),
  /** A CPU node of the EKS system node group. */
  eksSystem: (name = 'ip-10-0-0-5.ec2.internal') =>
    node(
      name,
      {
        'eks.amazonaws.com/nodegroup': 'system',
        'node.kubernetes.io/instance-type': 'm6i.xlarge',
        'topology.kubernetes.io/region': 'us-east-1',
        'topology.kubernetes.io/zone': 'us-east-1a',
      },
      {},
      'aws:///us-east-1a/i-0a1b2c3d4e5f60004',
    ),
  /** GKE spot node pool of g2-standard-24 (2x L4). */
  gkeSpotL4: (name = 'gke-ml-spot-l4-7f3a9c1e-x2bq') =>
    node(
      name,
      {
        'cloud.google.com/gke-nodepool': 'spot-l4',
        'cloud.google.com/gke-spot': 'true',
        'cloud.google.com/gke-accelerator': 'nvidia-l4',
        'node.kubernetes.io/instance-type': 'g2-standard-24',
        'topology.kubernetes.io/region': 'us-central1',
        'topology.kubernetes.io/zone': 'us-central1-a',
        ...gfd('NVIDIA-L4', 2, 23034),
      },
      { 'nvidia.com/gpu': '2' },
      'gce://ml-project/us-central1-a/gke-ml-spot-l4-7f3a9c1e-x2bq',
    ),
  /** AKS spot agent pool of Standard_NC24ads_A100_v4 (1x A100 80GB). */
  aksSpotA100: (name = 'aks-a100spot-31415926-vmss000000') =>
    node(
      name,
      {
        'kubernetes.azure.com/agentpool': 'a100spot',
        agentpool: 'a100spot',
        'kubernetes.azure.com/scalesetpriority': 'spot',
        'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
        'topology.kubernetes.io/region': 'eastus',
        'topology.kubernetes.io/zone': 'eastus-1',
        ...gfd('NVIDIA-A100-PCIE-80GB', 1, 81920),
      },
      { 'nvidia.com/gpu': '1' },
      'azure:///subscriptions/0000/resourceGroups/mc_ml/providers/Microsoft.Compute/virtualMachineScaleSets/aks-a100spot-31415926-vmss/virtualMachines/0',
    ),
};
