import { DemoCluster, DemoPool } from '../definition';
import { seedOf } from '../replay';
import { KubeObject } from './objects';

/** A node taint. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

/** vCPUs and memory (GiB) of the demo's instance types (the price catalog's figures). */
const SHAPES: Record<string, [number, number]> = {
  'g6.xlarge': [4, 16],
  'g5.2xlarge': [8, 32],
  'g6.12xlarge': [48, 192],
  'g6e.2xlarge': [8, 64],
  'g2-standard-8': [8, 32],
  'a2-highgpu-1g': [12, 85],
  'a2-ultragpu-1g': [12, 170],
  'a3-highgpu-8g': [208, 1872],
  Standard_NC24ads_A100_v4: [24, 220],
  Standard_NC96ads_A100_v4: [96, 880],
  Standard_NV36ads_A10_v5: [36, 440],
  Standard_NC4as_T4_v3: [4, 28],
};

/** GPU feature discovery's product names of the demo's GPUs (`gfdProductNames: 'nvidia'`, the default). */
export const NVIDIA_PRODUCT_NAMES: Record<string, string> = {
  L4: 'NVIDIA-L4',
  A10G: 'NVIDIA-A10G',
  L40S: 'NVIDIA-L40S',
  A100: 'NVIDIA-A100-SXM4-40GB',
  'A100-80GB': 'NVIDIA-A100-SXM4-80GB',
  H100: 'NVIDIA-H100-80GB-HBM3',
  A10: 'NVIDIA-A10',
  T4: 'Tesla-T4',
};

const GPU_FAMILY: Record<string, string> = {
  L4: 'ada-lovelace',
  L40S: 'ada-lovelace',
  A10G: 'ampere',
  A10: 'ampere',
  A100: 'ampere',
  'A100-80GB': 'ampere',
  H100: 'hopper',
  T4: 'turing',
};

const GKE_ACCELERATORS: Record<string, string> = {
  L4: 'nvidia-l4',
  A100: 'nvidia-tesla-a100',
  'A100-80GB': 'nvidia-a100-80gb',
  H100: 'nvidia-h100-80gb',
};

/** The label that names a node's pool on each cloud. */
export function poolLabelKey(cluster: DemoCluster): string {
  switch (cluster.provider) {
    case 'aws':
      return 'eks.amazonaws.com/nodegroup';
    case 'gcp':
      return 'cloud.google.com/gke-nodepool';
    default:
      return 'kubernetes.azure.com/agentpool';
  }
}

/**
 * The taints a pool's nodes are born with, as each platform sets them:
 * AKS taints spot nodes `kubernetes.azure.com/scalesetpriority=spot`;
 * GKE taints GPU nodes `nvidia.com/gpu=present` (when the cluster has
 * other nodes) and spot nodes `cloud.google.com/gke-spot=true` (node
 * auto-provisioning does; the demo's spot pools follow it); EKS managed
 * node groups taint nothing, spot or not.
 */
export function poolTaints(cluster: DemoCluster, pool: DemoPool): Taint[] {
  const spot = pool.capacityType === 'spot';
  switch (cluster.provider) {
    case 'gcp':
      return [
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
        ...(spot
          ? [
              {
                key: 'cloud.google.com/gke-spot',
                value: 'true',
                effect: 'NoSchedule' as const,
              },
            ]
          : []),
      ];
    case 'azure':
      return spot
        ? [
            {
              key: 'kubernetes.azure.com/scalesetpriority',
              value: 'spot',
              effect: 'NoSchedule',
            },
          ]
        : [];
    default:
      return [];
  }
}

/** GPU units a node of the pool offers (`nvidia.com/gpu` allocatable). */
export const poolUnits = (pool: DemoPool) =>
  pool.gpu.perNode * (pool.gpu.replicasPerGpu ?? 1);

function hex(seed: number, length: number): string {
  let out = '';
  let h = seed >>> 0;
  while (out.length < length) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** A node's name and provider id, as the platform names them; `index` counts the cluster's nodes. */
export function nodeIdentity(
  cluster: DemoCluster,
  pool: DemoPool,
  zone: string,
  index: number,
) {
  const seed = seedOf(`${cluster.name}/${pool.name}/${index}`);
  switch (cluster.provider) {
    case 'aws': {
      // `index` counts the cluster's nodes, so names never repeat.
      const name = `ip-10-0-${16 + Math.floor(index / 250)}-${
        1 + (index % 250)
      }.ec2.internal`;
      return { name, providerID: `aws:///${zone}/i-0${hex(seed, 16)}` };
    }
    case 'gcp': {
      const group = hex(seedOf(`${cluster.name}/${pool.name}/${zone}`), 8);
      const name = `gke-${cluster.name}-${pool.name}-${group}-${hex(
        seed,
        4,
      )}`.slice(0, 63);
      return { name, providerID: `gce://modelfleet-demo/${zone}/${name}` };
    }
    default: {
      const vmss = `aks-${pool.name}-${String(seedOf(pool.name) % 1e8).padStart(
        8,
        '0',
      )}-vmss`;
      const name = `${vmss}${index.toString(36).padStart(6, '0')}`;
      return {
        name,
        providerID: `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_modelfleet-demo_${cluster.name}_${cluster.region}/providers/Microsoft.Compute/virtualMachineScaleSets/${vmss}/virtualMachines/${index}`,
      };
    }
  }
}

/** The labels of a pool's node, as EKS, GKE or AKS and GPU feature discovery set them. */
export function nodeLabels(
  cluster: DemoCluster,
  pool: DemoPool,
  zone: string,
  name: string,
  gfdProductNames: 'demo' | 'nvidia' = 'demo',
): Record<string, string> {
  const spot = pool.capacityType === 'spot';
  const labels: Record<string, string> = {
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/hostname': name,
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': pool.instanceType,
    'beta.kubernetes.io/instance-type': pool.instanceType,
    'topology.kubernetes.io/region': cluster.region,
    'topology.kubernetes.io/zone': zone,
    'failure-domain.beta.kubernetes.io/region': cluster.region,
    'failure-domain.beta.kubernetes.io/zone': zone,
  };
  if (cluster.provider === 'aws') {
    Object.assign(labels, {
      'eks.amazonaws.com/nodegroup': pool.name,
      'eks.amazonaws.com/capacityType': spot ? 'SPOT' : 'ON_DEMAND',
      'eks.amazonaws.com/nodegroup-image': `ami-0${hex(seedOf(pool.name), 16)}`,
      'k8s.io/cloud-provider-aws': hex(seedOf(cluster.name), 32),
      'topology.k8s.aws/zone-id': `use1-az${zone.endsWith('a') ? 1 : 2}`,
    });
  } else if (cluster.provider === 'gcp') {
    Object.assign(labels, {
      'cloud.google.com/gke-nodepool': pool.name,
      'cloud.google.com/machine-family': pool.instanceType.split('-')[0],
      'cloud.google.com/gke-os-distribution': 'cos',
      'cloud.google.com/gke-container-runtime': 'containerd',
      'cloud.google.com/gke-boot-disk': 'pd-balanced',
      'cloud.google.com/gke-provisioning': spot ? 'spot' : 'standard',
      'cloud.google.com/gke-gpu': 'true',
      'cloud.google.com/gke-accelerator':
        GKE_ACCELERATORS[pool.gpu.product] ?? pool.gpu.product.toLowerCase(),
      ...(spot ? { 'cloud.google.com/gke-spot': 'true' } : {}),
      ...(pool.gpu.sharing === 'time-slicing'
        ? {
            'cloud.google.com/gke-gpu-sharing-strategy': 'time-sharing',
            'cloud.google.com/gke-max-shared-clients-per-gpu': String(
              pool.gpu.replicasPerGpu ?? 1,
            ),
          }
        : {}),
    });
  } else {
    Object.assign(labels, {
      'kubernetes.azure.com/agentpool': pool.name,
      agentpool: pool.name,
      'kubernetes.azure.com/cluster': `MC_modelfleet-demo_${cluster.name}_${cluster.region}`,
      'kubernetes.azure.com/mode': 'user',
      'kubernetes.azure.com/role': 'agent',
      'kubernetes.azure.com/os-sku': 'Ubuntu',
      'kubernetes.azure.com/node-image-version':
        'AKSUbuntu-2204gen2containerd-202501.12.0',
      'kubernetes.azure.com/accelerator': 'nvidia',
      ...(spot ? { 'kubernetes.azure.com/scalesetpriority': 'spot' } : {}),
    });
  }
  // NVIDIA GPU feature discovery (GPU operator).
  // Azure's NC A100 v4 sizes carry the PCIe A100 80GB, GCP's a2-ultragpu the SXM4 one.
  const nvidiaName =
    cluster.provider === 'azure' && pool.gpu.product === 'A100-80GB'
      ? 'NVIDIA-A100-80GB-PCIe'
      : NVIDIA_PRODUCT_NAMES[pool.gpu.product];
  const product =
    gfdProductNames === 'nvidia'
      ? nvidiaName ?? pool.gpu.product
      : pool.gpu.product;
  const shared = pool.gpu.sharing === 'time-slicing';
  Object.assign(labels, {
    'nvidia.com/gpu.present': 'true',
    'nvidia.com/gpu.product':
      shared && gfdProductNames === 'nvidia' ? `${product}-SHARED` : product,
    'nvidia.com/gpu.count': String(pool.gpu.perNode),
    'nvidia.com/gpu.memory': String(pool.gpu.memoryMiB),
    'nvidia.com/gpu.replicas': String(pool.gpu.replicasPerGpu ?? 1),
    'nvidia.com/gpu.family': GPU_FAMILY[pool.gpu.product] ?? 'unknown',
    'nvidia.com/gpu.deploy.device-plugin': 'true',
    'nvidia.com/mig.capable': String(/A100|H100/.test(pool.gpu.product)),
    'nvidia.com/cuda.driver.major': '550',
  });
  return labels;
}

const OS_IMAGES: Record<string, string> = {
  aws: 'Amazon Linux 2023',
  gcp: 'Container-Optimized OS from Google',
  azure: 'Ubuntu 22.04.5 LTS',
};

/** A Ready node of a pool. */
export function makeNode(input: {
  cluster: DemoCluster;
  pool: DemoPool;
  zone: string;
  index: number;
  time: string;
  gfdProductNames?: 'demo' | 'nvidia';
}): KubeObject {
  const { cluster, pool, zone, index, time } = input;
  const { name, providerID } = nodeIdentity(cluster, pool, zone, index);
  const [cpu, memGiB] = SHAPES[pool.instanceType] ?? [8, 32];
  const units = String(poolUnits(pool));
  const capacity = {
    cpu: String(cpu),
    memory: `${memGiB * 1024 * 1024}Ki`,
    pods: cluster.provider === 'aws' ? '58' : '110',
    'ephemeral-storage': '209702892Ki',
    'nvidia.com/gpu': units,
  };
  const allocatable = {
    ...capacity,
    cpu: `${cpu * 1000 - 90 - Math.ceil(cpu * 6)}m`,
    memory: `${Math.floor(memGiB * 1024 * 1024 * 0.92)}Ki`,
  };
  const seed = seedOf(name);
  const net = { aws: 0, gcp: 128 }[cluster.provider as string] ?? 224;
  const ip = `10.${net}.${seed % 250}.${(seed >>> 8) % 250}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: nodeLabels(cluster, pool, zone, name, input.gfdProductNames),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      providerID,
      ...(poolTaints(cluster, pool).length > 0
        ? { taints: poolTaints(cluster, pool) }
        : {}),
    },
    status: {
      capacity,
      allocatable,
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          lastHeartbeatTime: time,
          lastTransitionTime: time,
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          lastHeartbeatTime: time,
          lastTransitionTime: time,
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          lastHeartbeatTime: time,
          lastTransitionTime: time,
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: time,
          lastTransitionTime: time,
        },
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'v1.31.4',
        kubeProxyVersion: 'v1.31.4',
        containerRuntimeVersion: 'containerd://1.7.24',
        osImage: OS_IMAGES[cluster.provider] ?? 'Ubuntu 22.04.5 LTS',
        kernelVersion: '6.1.0',
        machineID: hex(seed, 32),
        systemUUID: hex(seed ^ 7, 32),
        bootID: hex(seed ^ 13, 32),
      },
    },
  };
}
