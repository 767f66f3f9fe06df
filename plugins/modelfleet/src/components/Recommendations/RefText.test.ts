import { splitRefs } from './RefText';

describe('splitRefs', () => {
  it('finds model, pool and team refs in a sentence, leaving a full stop out', () => {
    expect(
      splitRefs(
        'Move model:default/search-reranker to gpupool:default/demo-gcp-usc1.g2-l4.',
      ),
    ).toEqual([
      'Move ',
      { ref: 'model:default/search-reranker' },
      ' to ',
      { ref: 'gpupool:default/demo-gcp-usc1.g2-l4' },
      '.',
    ]);
    expect(splitRefs('group:ml/vision-team owns it')).toEqual([
      { ref: 'group:ml/vision-team' },
      ' owns it',
    ]);
  });

  it('leaves a sentence without refs whole', () => {
    expect(splitRefs('Run search-reranker on 1 replica instead of 2')).toEqual([
      'Run search-reranker on 1 replica instead of 2',
    ]);
    expect(splitRefs('ratio 3:2/4 and http://x/y')).toEqual([
      'ratio 3:2/4 and http://x/y',
    ]);
  });
});
