import {
  AwsTestServer,
  RecordedRequest,
  Reply,
  startAwsServer,
} from './awsServer';

/** A managed node group the fake EKS holds. */
export interface FakeNodegroup {
  cluster: string;
  name: string;
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

/** The fake EKS: the loopback server and the node groups it holds now. */
export interface EksTestServer extends AwsTestServer {
  nodegroups: FakeNodegroup[];
  /** The bodies of the UpdateNodegroupConfig requests, in order. */
  updates: any[];
}

/** An EKS REST-JSON response. */
export function eksJson(body: unknown, status = 200): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

/**
 * An EKS error as EKS sends it: the type in `x-amzn-errortype`, the
 * message in the body, e.g. `ResourceNotFoundException` 404.
 */
export function eksError(type: string, message: string, status: number): Reply {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.eks/`,
    },
    body: JSON.stringify({ message }),
  };
}

const ACCOUNT = '123456789012';

function describe(ng: FakeNodegroup, region: string) {
  return {
    nodegroup: {
      nodegroupName: ng.name,
      nodegroupArn: `arn:aws:eks:${region}:${ACCOUNT}:nodegroup/${ng.cluster}/${ng.name}/0ac5c5f6-1a2b-3c4d-5e6f-7a8b9c0d1e2f`,
      clusterName: ng.cluster,
      version: '1.31',
      releaseVersion: '1.31.3-20250103',
      createdAt: 1733500000.123,
      modifiedAt: 1733600000.456,
      status: 'ACTIVE',
      capacityType: 'ON_DEMAND',
      scalingConfig: {
        minSize: ng.minSize,
        maxSize: ng.maxSize,
        desiredSize: ng.desiredSize,
      },
      instanceTypes: ['g5.xlarge'],
      subnets: ['subnet-0a1b2c3d'],
      amiType: 'AL2_x86_64_GPU',
      nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-gpu-nodes`,
      labels: {},
      diskSize: 100,
      health: { issues: [] },
      updateConfig: { maxUnavailable: 1 },
      tags: {},
    },
  };
}

/** EKS's checks of an UpdateNodegroupConfig scalingConfig. */
function checkScaling(s: any, ng: FakeNodegroup): string | undefined {
  const min = s.minSize ?? ng.minSize;
  const max = s.maxSize ?? ng.maxSize;
  const desired = s.desiredSize ?? ng.desiredSize;
  if (min < 0) return 'Minimum capacity should be greater than or equal to 0';
  if (max < 1) return 'Maximum capacity should be greater than or equal to 1';
  if (min > max) {
    return `Minimum capacity ${min} can't be greater than maximum capacity ${max}`;
  }
  if (desired < min) {
    return `Desired capacity ${desired} can't be lower than minimum capacity ${min}`;
  }
  if (desired > max) {
    return `Desired capacity ${desired} can't be greater than maximum capacity ${max}`;
  }
  return undefined;
}

/**
 * A loopback EKS speaking its REST-JSON protocol for
 * `GET /clusters/{name}/node-groups/{ng}` (DescribeNodegroup) and
 * `POST /clusters/{name}/node-groups/{ng}/update-config`
 * (UpdateNodegroupConfig, applied at once), checking SigV4 scope (service
 * `eks`) and EKS's scaling rules. `fault` may answer a request instead,
 * e.g. with an {@link eksError}.
 */
export async function startEksServer(
  nodegroups: FakeNodegroup[],
  fault?: (
    req: RecordedRequest,
    index: number,
  ) => Reply | Promise<Reply> | undefined,
): Promise<EksTestServer> {
  const updates: any[] = [];
  const server = await startAwsServer((req, index) => {
    const injected = fault?.(req, index);
    if (injected) return injected;
    if (req.signingService !== 'eks') {
      return eksError('InvalidSignatureException', 'wrong service', 403);
    }
    const m = req.path.match(
      /^\/clusters\/([^/?]+)\/node-groups\/([^/?]+)(\/update-config)?$/,
    );
    if (!m) return eksError('NotFoundException', `no route ${req.path}`, 404);
    const [cluster, name] = [
      decodeURIComponent(m[1]),
      decodeURIComponent(m[2]),
    ];
    if (!nodegroups.some(n => n.cluster === cluster)) {
      return eksError(
        'ResourceNotFoundException',
        `No cluster found for name: ${cluster}.`,
        404,
      );
    }
    const ng = nodegroups.find(n => n.cluster === cluster && n.name === name);
    if (!ng) {
      return eksError(
        'ResourceNotFoundException',
        `No node group found for name: ${name}.`,
        404,
      );
    }
    const region = req.signingRegion ?? 'us-east-1';
    if (!m[3] && req.method === 'GET') return eksJson(describe(ng, region));
    if (m[3] && req.method === 'POST') {
      const body = JSON.parse(req.body);
      updates.push(body);
      const s = body.scalingConfig ?? {};
      const problem = checkScaling(s, ng);
      if (problem) return eksError('InvalidParameterException', problem, 400);
      const params = [
        ['MinSize', s.minSize],
        ['MaxSize', s.maxSize],
        ['DesiredSize', s.desiredSize],
      ].filter(([, v]) => v !== undefined);
      ng.minSize = s.minSize ?? ng.minSize;
      ng.maxSize = s.maxSize ?? ng.maxSize;
      ng.desiredSize = s.desiredSize ?? ng.desiredSize;
      return eksJson({
        update: {
          id: `0b9c4ae6-${String(updates.length).padStart(
            4,
            '0',
          )}-3a8f-9d1e-2f3a4b5c6d7e`,
          status: 'InProgress',
          type: 'ConfigUpdate',
          params: params.map(([type, value]) => ({
            type,
            value: String(value),
          })),
          createdAt: 1733700000,
          errors: [],
        },
      });
    }
    return eksError('NotFoundException', `no route ${req.method}`, 404);
  });
  return { ...server, nodegroups, updates };
}
