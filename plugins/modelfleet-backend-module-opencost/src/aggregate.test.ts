import { aggregateParam, parseAggregate } from './aggregate';

describe('parseAggregate', () => {
  it('reads labels, namespace, pod and controller', () => {
    const props = parseAggregate(
      'label:modelfleet.io/model, namespace,pod,controller,label:team',
    );
    expect(props).toEqual([
      { kind: 'label', label: 'modelfleet.io/model' },
      { kind: 'namespace' },
      { kind: 'pod' },
      { kind: 'controller' },
      { kind: 'label', label: 'team' },
    ]);
    expect(aggregateParam(props)).toBe(
      'cluster,label:modelfleet.io/model,namespace,pod,controller,label:team',
    );
  });

  it.each([
    ['', 'has an empty property'],
    ['namespace,', 'has an empty property'],
    ['namespace,namespace', "'namespace' appears twice"],
    ['cluster', "'cluster' is always part of the query"],
    ['label:', "'' is not a Kubernetes label key"],
    [
      'label:Bad_Prefix.io/x',
      "'Bad_Prefix.io/x' is not a Kubernetes label key",
    ],
    ['label:a/b/c', "'a/b/c' is not a Kubernetes label key"],
    ['annotation:x', "'annotation:x' is not supported"],
  ])('rejects %j', (text, message) => {
    expect(() => parseAggregate(text)).toThrow(message);
  });
});
