import {
  DEFAULT_DENIED_NAMESPACES,
  KubeObject,
  MODEL_DEPLOYMENT_KINDS,
} from '@modelfleet/plugin-modelfleet-common';
import { formatRefusals, guardDeployment, isDeniedNamespace } from './guard';
import { modelDeployment } from '../../deploy/__testUtils__/objects';

const guard = (
  objects: KubeObject[],
  namespace = 'models',
  deniedNamespaces: readonly string[] = DEFAULT_DENIED_NAMESPACES,
) =>
  guardDeployment({
    namespace,
    model: 'chat',
    objects,
    allowedKinds: MODEL_DEPLOYMENT_KINDS,
    deniedNamespaces,
  });

describe('guardDeployment', () => {
  it('accepts what modelfleet:manifests:render produces', () => {
    expect(guard(modelDeployment('models'))).toEqual([]);
  });

  it('refuses the privileged kube-system Deployment with a hostPath volume, naming each reason', () => {
    const [deployment] = modelDeployment('kube-system').filter(
      o => o.kind === 'Deployment',
    ) as any[];
    deployment.spec.template.spec.containers[0].securityContext = {
      privileged: true,
    };
    deployment.spec.template.spec.volumes.push({
      name: 'host-root',
      hostPath: { path: '/' },
    });
    const refusals = guard([deployment], 'kube-system');
    expect(refusals).toEqual([
      {
        object: 'namespace',
        path: 'namespace',
        reason:
          "'kube-system' is on the deny list of namespaces no model is deployed to",
      },
      {
        object: 'Deployment/chat',
        path: 'spec.template.spec.volumes[2].hostPath',
        reason:
          "volume 'host-root' mounts the node's filesystem (/) (hostPath)",
      },
      {
        object: 'Deployment/chat',
        path: 'spec.template.spec.containers[0].securityContext.privileged',
        reason: "container 'server' is privileged (root on the node)",
      },
    ]);
    expect(formatRefusals(refusals)).toBe(
      "namespace: 'kube-system' is on the deny list of namespaces no model is deployed to; " +
        "Deployment/chat spec.template.spec.volumes[2].hostPath: volume 'host-root' mounts the node's filesystem (/) (hostPath); " +
        "Deployment/chat spec.template.spec.containers[0].securityContext.privileged: container 'server' is privileged (root on the node)",
    );
  });

  it('refuses objects outside the model namespace, and says when that namespace is denied', () => {
    const objects = modelDeployment('models');
    (objects[0].metadata as any).namespace = 'kube-system';
    delete (objects[1].metadata as any).namespace;
    expect(guard(objects)).toEqual([
      {
        object: 'ServiceAccount/chat',
        path: 'metadata.namespace',
        reason:
          "'kube-system' is not the model's namespace 'models', and is on the deny list",
      },
      {
        object: 'Deployment/chat',
        path: 'metadata.namespace',
        reason: "no namespace; it must be the model's namespace 'models'",
      },
    ]);
  });

  it('refuses cluster-scoped kinds and kinds outside the rendered set', () => {
    const refusals = guard([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'chat-admin' },
        roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'chat', namespace: 'models' },
      },
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'chat', namespace: 'models' },
      },
    ]);
    expect(refusals.map(r => [r.object, r.path])).toEqual([
      ['ClusterRoleBinding/chat-admin', 'kind'],
      ['ClusterRoleBinding/chat-admin', 'kind'],
      ['Secret/chat', 'kind'],
      ['HorizontalPodAutoscaler/chat', 'kind'],
    ]);
    expect(refusals[0].reason).toBe(
      "ClusterRoleBinding is cluster-scoped: it reaches beyond the model's namespace",
    );
    expect(refusals[2].reason).toBe(
      'v1 Secret is not one of the kinds a model deployment is made of (ServiceAccount, PersistentVolumeClaim, ConfigMap, Deployment, Service, HorizontalPodAutoscaler, ScaledObject, PodDisruptionBudget, NetworkPolicy)',
    );
  });

  it("refuses objects not named or labelled after the model: they could be another model's", () => {
    const objects = modelDeployment('models');
    objects[2].metadata.name = 'search';
    objects[3].metadata.labels = { 'modelfleet.io/model': 'search' };
    objects[4].metadata.name = 'chat-model-cache';
    expect(guard(objects)).toEqual([
      {
        object: 'Service/search',
        path: 'metadata.name',
        reason: "'search' is not named after the model 'chat' (chat or chat-…)",
      },
      {
        object: 'ScaledObject/chat',
        path: 'metadata.labels.modelfleet.io/model',
        reason: "labels the object as model 'search', not 'chat'",
      },
    ]);
  });

  it('checks the pod templates of every workload kind, init containers too', () => {
    const pod = {
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      initContainers: [
        {
          name: 'fetch',
          securityContext: {
            allowPrivilegeEscalation: true,
            capabilities: { add: ['SYS_ADMIN', 'NET_ADMIN'] },
          },
        },
      ],
      containers: [
        { name: 'server', ports: [{ containerPort: 8000, hostPort: 80 }] },
      ],
    };
    const meta = { name: 'chat', namespace: 'models' };
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: pod },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: meta,
        spec: { template: { spec: pod } },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta,
        spec: { jobTemplate: { spec: { template: { spec: pod } } } },
      },
    ];
    const refusals = guard(objects);
    const base = {
      Pod: 'spec',
      StatefulSet: 'spec.template.spec',
      CronJob: 'spec.jobTemplate.spec.template.spec',
    };
    for (const [kind, path] of Object.entries(base)) {
      expect(
        refusals.filter(r => r.object === `${kind}/chat`).map(r => r.path),
      ).toEqual([
        'kind',
        `${path}.hostNetwork`,
        `${path}.hostPID`,
        `${path}.hostIPC`,
        `${path}.initContainers[0].securityContext.allowPrivilegeEscalation`,
        `${path}.initContainers[0].securityContext.capabilities.add`,
        `${path}.containers[0].ports[0].hostPort`,
      ]);
    }
    expect(refusals.map(r => r.reason)).toEqual(
      expect.arrayContaining([
        "the pod shares the node's network namespace",
        "the pod shares the node's process namespace",
        "the pod shares the node's IPC namespace",
        "container 'fetch' may gain more privileges than its parent process",
        "container 'fetch' adds Linux capabilities (SYS_ADMIN, NET_ADMIN); a model server needs none",
        "container 'server' binds port 80 on the node (hostPort)",
      ]),
    );
  });

  it('checks the deny list on the model namespace, with prefixes', () => {
    expect(isDeniedNamespace('kube-public', DEFAULT_DENIED_NAMESPACES)).toBe(
      true,
    );
    expect(isDeniedNamespace('openshift-monitoring', ['openshift-*'])).toBe(
      true,
    );
    expect(isDeniedNamespace('models', ['openshift-*', 'kube-system'])).toBe(
      false,
    );
    expect(
      guard(modelDeployment('gpu-operator'), 'gpu-operator', [
        ...DEFAULT_DENIED_NAMESPACES,
        'gpu-operator',
      ]).map(r => r.object),
    ).toEqual(['namespace']);
  });

  it('survives objects that are not objects', () => {
    expect(
      guard([{ metadata: {} } as any, { kind: 'Deployment' } as any]).map(
        r => `${r.object} ${r.path}`,
      ),
    ).toEqual([
      '(no kind)/#0 kind',
      '(no kind)/#0 metadata.namespace',
      'Deployment/#1 kind',
      'Deployment/#1 metadata.namespace',
    ]);
  });
});
