import {
  DEFAULT_DENIED_NAMESPACES,
  KubeObject,
  MODEL_DEPLOYMENT_KINDS,
} from '@modelfleet/plugin-modelfleet-common';
import { formatRefusals, guardDeployment, isDeniedNamespace } from './guard';
import { modelDeployment } from '../../deploy/__testUtils__/objects';
import { wakeObjects } from '../../deploy/__testUtils__/wakeObjects';

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
        index: 0,
        path: 'spec.template.spec.volumes[2].hostPath',
        reason:
          "volume 'host-root' mounts the node's filesystem (/) (hostPath)",
      },
      {
        object: 'Deployment/chat',
        index: 0,
        path: 'spec.template.spec.containers[0].securityContext.privileged',
        reason: "container 'server' is privileged (root on the node)",
      },
    ]);
    expect(formatRefusals(refusals)).toBe(
      "namespace: 'kube-system' is on the deny list of namespaces no model is deployed to; " +
        "manifests[0].spec.template.spec.volumes[2].hostPath (Deployment/chat): volume 'host-root' mounts the node's filesystem (/) (hostPath); " +
        "manifests[0].spec.template.spec.containers[0].securityContext.privileged (Deployment/chat): container 'server' is privileged (root on the node)",
    );
  });

  it('refuses objects outside the model namespace, and says when that namespace is denied', () => {
    const objects = modelDeployment('models');
    (objects[0].metadata as any).namespace = 'kube-system';
    delete (objects[1].metadata as any).namespace;
    expect(guard(objects)).toEqual([
      {
        object: 'ServiceAccount/chat',
        index: 0,
        path: 'metadata.namespace',
        reason:
          "'kube-system' is not the model's namespace 'models', and is on the deny list",
      },
      {
        object: 'Deployment/chat',
        index: 1,
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
      // A kind a model is made of, at another version: the apiVersion is wrong.
      ['HorizontalPodAutoscaler/chat', 'apiVersion'],
    ]);
    expect(refusals[0].reason).toBe(
      "ClusterRoleBinding is cluster-scoped: it reaches beyond the model's namespace",
    );
    expect(refusals[2].reason).toBe(
      'v1 Secret is not one of the kinds a model deployment is made of (ServiceAccount, PersistentVolumeClaim, ConfigMap, Deployment, Service, HorizontalPodAutoscaler, ScaledObject, HTTPScaledObject, PodDisruptionBudget, NetworkPolicy)',
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
        index: 2,
        path: 'metadata.name',
        reason: "'search' is not named after the model 'chat' (chat or chat-…)",
      },
      {
        object: 'ScaledObject/chat',
        index: 3,
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

  it('accepts the HTTPScaledObject, the ScaledObject reading it and the Knative Service a model that wakes on request is made of', () => {
    const { httpScaledObject, scaledObject, knativeService } = wakeObjects();
    expect(guard([httpScaledObject, scaledObject, knativeService])).toEqual([]);
    // The kind check knows both Services by their apiVersion.
    (knativeService as any).apiVersion = 'serving.knative.dev/v2';
    expect(formatRefusals(guard([knativeService]))).toBe(
      'manifests[0].apiVersion (Service/chat): a Service of a model deployment is v1 or serving.knative.dev/v1',
    );
  });

  it("gives a Knative Service's revision pod the refusals of a Deployment's", () => {
    const { knativeService } = wakeObjects();
    const pod = (knativeService as any).spec.template.spec;
    Object.assign(pod, { hostNetwork: true, hostPID: true, hostIPC: true });
    pod.containers[0].securityContext.privileged = true;
    pod.volumes.push({ name: 'host-root', hostPath: { path: '/' } });
    // Not even a `containers` list hides the pod from the guard.
    const bare = JSON.parse(JSON.stringify(knativeService));
    bare.spec.template.spec = { hostNetwork: true, containers: {} };
    const refusals = guard([knativeService, bare]);
    const base = 'spec.template.spec';
    expect(refusals.map(r => `${r.index} ${r.path}: ${r.reason}`)).toEqual([
      `0 ${base}.hostNetwork: the pod shares the node's network namespace`,
      `0 ${base}.hostPID: the pod shares the node's process namespace`,
      `0 ${base}.hostIPC: the pod shares the node's IPC namespace`,
      `0 ${base}.volumes[2].hostPath: volume 'host-root' mounts the node's filesystem (/) (hostPath)`,
      `0 ${base}.containers[0].securityContext.privileged: container 'server' is privileged (root on the node)`,
      `1 ${base}.hostNetwork: the pod shares the node's network namespace`,
    ]);
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
      'Deployment/#1 apiVersion',
      'Deployment/#1 metadata.namespace',
    ]);
  });
});

describe('guardDeployment of hostile kinds and apiVersions', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'refuses kind %s on its kind, without looking it up among Object’s properties',
    kind => {
      const [deployment] = modelDeployment('models').filter(
        o => o.kind === 'Deployment',
      ) as any[];
      deployment.kind = kind;
      const refusals = guard([deployment]);
      expect(refusals.map(r => r.path)).toEqual(['kind']);
      expect(formatRefusals(refusals)).toMatch(
        new RegExp(
          `^manifests\\[0\\]\\.kind \\(${kind}/chat\\): apps/v1 ${kind} is not one of the kinds`,
        ),
      );
    },
  );

  it('refuses a bad apiVersion of a known kind on manifests[i].apiVersion, not on its kind', () => {
    const objects = modelDeployment('models') as any[];
    const i = objects.findIndex(o => o.kind === 'Deployment');
    objects[i].apiVersion = `https://user:secret@example.com/${'x'.repeat(
      20000,
    )}`;
    const refusals = guard(objects);
    expect(refusals.map(r => [r.index, r.path])).toEqual([[i, 'apiVersion']]);
    const message = formatRefusals(refusals);
    expect(message).toBe(
      `manifests[${i}].apiVersion (Deployment/chat): a Deployment of a model deployment is apps/v1`,
    );
  });

  it('cuts long kinds short and survives values that cannot become strings', () => {
    const [deployment] = modelDeployment('models').filter(
      o => o.kind === 'Deployment',
    ) as any[];
    const hostile = { isAdmin: true, toString: 'x' };
    deployment.kind = 'K'.repeat(20000);
    deployment.metadata.namespace = hostile;
    deployment.spec.template.spec.volumes[0].name = hostile;
    deployment.spec.template.spec.volumes[0].hostPath = { path: '/' };
    const message = formatRefusals(guard([deployment]));
    expect(message.length).toBeLessThan(1000);
    expect(message).toContain("'an object' is not the model's namespace");
    expect(message).toContain(
      "volume 'an object' mounts the node's filesystem",
    );
  });
});

describe('guardDeployment numbers', () => {
  it('refuses replica counts above the cap and numbers that are not finite', () => {
    const objects = modelDeployment('models') as any[];
    const deployment = objects.find(o => o.kind === 'Deployment');
    deployment.spec.replicas = 1_000_000;
    // `1e999` in the JSON body: Infinity, which would be sent on as null.
    deployment.spec.template.spec.terminationGracePeriodSeconds =
      JSON.parse('1e999');
    const refusals = guard([deployment]);
    expect(refusals).toEqual([
      {
        object: 'Deployment/chat',
        index: 0,
        path: 'spec.template.spec.terminationGracePeriodSeconds',
        reason: 'Infinity is not a finite number',
      },
      {
        object: 'Deployment/chat',
        index: 0,
        path: 'spec.replicas',
        reason: '1000000 replicas: must be a whole number from 0 to 64',
      },
    ]);
  });

  it('refuses an autoscaler that scales a model past the cap', () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'chat', namespace: 'models' },
      spec: {
        scaleTargetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'chat',
        },
        minReplicas: 1,
        maxReplicas: 1000,
      },
    };
    expect(formatRefusals(guard([hpa]))).toBe(
      'manifests[0].spec.maxReplicas (HorizontalPodAutoscaler/chat): 1000 replicas: must be a whole number from 0 to 64',
    );
  });
});
