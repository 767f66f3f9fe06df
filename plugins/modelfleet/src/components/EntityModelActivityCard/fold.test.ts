import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import { foldKeepAlives } from './fold';

const action = (
  id: string,
  over: Partial<ModelFleetAction> = {},
): ModelFleetAction =>
  ({
    id,
    kind: 'keepAlive',
    state: 'done',
    requestedBy: 'policy:hibernation',
    ...over,
  } as ModelFleetAction);

describe('foldKeepAlives', () => {
  it("folds runs of a policy's finished keep-alive changes into their newest, and nothing else", () => {
    const list = [
      action('k5'),
      action('k4'),
      action('k3'),
      action('h', { kind: 'hibernate', requestedBy: 'user:default/jane' }),
      action('k2'),
      action('p', { state: 'planned' }),
      action('k1'),
      action('u', { requestedBy: 'user:default/jane' }),
      action('k0'),
    ];
    expect(
      foldKeepAlives(list).map(f => [f.action.id, f.earlier.map(e => e.id)]),
    ).toEqual([
      ['k5', ['k4', 'k3']],
      ['h', []],
      ['k2', []],
      ['p', []],
      ['k1', []],
      ['u', []],
      ['k0', []],
    ]);
  });

  it('keeps every action, in order', () => {
    const list = ['a', 'b', 'c'].map(id => action(id));
    const folded = foldKeepAlives(list);
    expect(folded.flatMap(f => [f.action, ...f.earlier])).toEqual(list);
  });
});
