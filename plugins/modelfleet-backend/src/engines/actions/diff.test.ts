import { changedFields, diffStep } from './diff';

const workload = {
  cluster: 'demo-aws-use1',
  namespace: 'search',
  kind: 'Deployment' as const,
  name: 'chat',
};

describe('action diffs', () => {
  it('lists the fields an apply changes, leaving server fields and untouched ones out', () => {
    const current = {
      metadata: { name: 'chat', resourceVersion: '7', labels: { a: '1' } },
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ image: 'v1' }] } },
      },
      status: { readyReplicas: 2 },
    };
    const desired = {
      metadata: {
        name: 'chat',
        resourceVersion: '9',
        labels: { a: '1', b: '2' },
      },
      spec: { template: { spec: { containers: [{ image: 'v2' }] } } },
    };
    expect(changedFields(current, desired)).toEqual([
      { path: 'metadata.labels.b', before: null, after: '2' },
      {
        path: 'spec.template.spec.containers',
        before: [{ image: 'v1' }],
        after: [{ image: 'v2' }],
      },
    ]);
  });

  it('shows a scale, a pause and a keep-alive as the fields they set', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'chat', namespace: 'search' },
      spec: { replicas: 3 },
    };
    expect(
      diffStep(0, 'demo-aws-use1', { op: 'scale', workload, replicas: 0 }, [
        deployment,
      ]),
    ).toEqual([
      {
        step: 0,
        cluster: 'demo-aws-use1',
        kind: 'Deployment',
        namespace: 'search',
        name: 'chat',
        changes: [{ path: 'spec.replicas', before: 3, after: 0 }],
      },
    ]);
    const autoscaler = { ...workload, kind: 'HTTPScaledObject' as const };
    const scaled = {
      apiVersion: 'http.keda.sh/v1alpha1',
      kind: 'HTTPScaledObject',
      metadata: { name: 'chat', namespace: 'search' },
      spec: { scaledownPeriod: 300 },
    };
    expect(
      diffStep(1, 'c', { op: 'setKeepAlive', autoscaler, seconds: 900 }, [
        scaled,
      ])[0].changes,
    ).toEqual([{ path: 'spec.scaledownPeriod', before: 300, after: 900 }]);
    expect(
      diffStep(2, 'c', { op: 'pauseAutoscaler', autoscaler, replicas: 0 }, [
        scaled,
      ])[0].changes,
    ).toEqual([
      {
        path: 'metadata.annotations.autoscaling.keda.sh/paused-replicas',
        before: null,
        after: '0',
      },
    ]);
    // Resuming an autoscaler that is not paused changes nothing.
    expect(
      diffStep(2, 'c', { op: 'pauseAutoscaler', autoscaler, replicas: null }, [
        scaled,
      ]),
    ).toEqual([]);
    // A wait changes nothing.
    expect(
      diffStep(
        3,
        'c',
        { op: 'waitReady', workload, replicas: 1, timeoutSeconds: 60 },
        [deployment],
      ),
    ).toEqual([]);
  });
});
