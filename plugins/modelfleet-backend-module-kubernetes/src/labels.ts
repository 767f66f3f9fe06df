/**
 * The Kubernetes labels, annotations and resource names the connector
 * understands.
 */

/**
 * Labels that name the pool a node belongs to, in the order they are looked
 * at: Karpenter NodePool (and its pre-v1beta1 Provisioner), EKS managed node
 * group, GKE node pool, AKS agent pool (and its legacy label).
 */
export const POOL_LABELS = [
  'karpenter.sh/nodepool',
  'karpenter.sh/provisioner-name',
  'eks.amazonaws.com/nodegroup',
  'cloud.google.com/gke-nodepool',
  'kubernetes.azure.com/agentpool',
  'agentpool',
] as const;

export const INSTANCE_TYPE_LABELS = [
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
] as const;

export const REGION_LABELS = [
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/region',
] as const;

export const ZONE_LABELS = [
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
] as const;

export const KARPENTER_CAPACITY_TYPE = 'karpenter.sh/capacity-type';
export const EKS_CAPACITY_TYPE = 'eks.amazonaws.com/capacityType';
export const GKE_SPOT = 'cloud.google.com/gke-spot';
export const GKE_PREEMPTIBLE = 'cloud.google.com/gke-preemptible';
export const AKS_SCALE_SET_PRIORITY = 'kubernetes.azure.com/scalesetpriority';

/** The GPU resource of the NVIDIA device plugin. */
export const NVIDIA_GPU = 'nvidia.com/gpu';
/** Prefix of the MIG resources of the NVIDIA device plugin (mixed strategy). */
export const NVIDIA_MIG_PREFIX = 'nvidia.com/mig-';

/** Labels of NVIDIA GPU feature discovery. */
export const GFD_PRODUCT = 'nvidia.com/gpu.product';
export const GFD_COUNT = 'nvidia.com/gpu.count';
/** GPU memory in MiB. */
export const GFD_MEMORY = 'nvidia.com/gpu.memory';
export const GFD_PRESENT = 'nvidia.com/gpu.present';
export const GFD_REPLICAS = 'nvidia.com/gpu.replicas';
export const GFD_MIG_STRATEGY = 'nvidia.com/mig.strategy';

/** Platform labels of GPU nodes, used when GPU feature discovery is absent. */
export const GKE_ACCELERATOR = 'cloud.google.com/gke-accelerator';
export const KARPENTER_AWS_GPU_NAME = 'karpenter.k8s.aws/instance-gpu-name';
export const KARPENTER_AWS_GPU_COUNT = 'karpenter.k8s.aws/instance-gpu-count';
/** GPU memory in MiB. */
export const KARPENTER_AWS_GPU_MEMORY = 'karpenter.k8s.aws/instance-gpu-memory';

/** Annotation of the Backstage Kubernetes plugin that ties a workload to an entity. */
export const BACKSTAGE_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/** Labels KServe puts on the pods of an InferenceService. */
export const KSERVE_ISVC_LABEL = 'serving.kserve.io/inferenceservice';
export const KSERVE_COMPONENT_LABEL = 'component';

/**
 * Taints that announce a spot reclaim of the node, as each cloud's
 * termination handler sets them: the AWS Node Termination Handler on a
 * Spot Interruption notice (two minutes ahead), GKE on an impending
 * preemption (thirty seconds), AKS node auto-drain on a Preempt scheduled
 * event (thirty seconds). Their `timeAdded` is when the notice came.
 */
export const RECLAIM_TAINTS = [
  'aws-node-termination-handler/spot-itn',
  'cloud.google.com/impending-node-termination',
  'remediator.kubernetes.azure.com/unschedulable',
] as const;
