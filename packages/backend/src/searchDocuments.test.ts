import { Entity } from '@backstage/catalog-model';
import {
  modelfleetEntityTransformer,
  modelfleetTerms,
} from './searchDocuments';

const model: Entity = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'search-reranker',
    title: 'Search reranker',
    description: 'Reranks search results',
  },
  spec: {
    type: 'reranker',
    owner: 'group:default/search-team',
    source: 'BAAI/bge-reranker-large',
    runtime: 'triton',
    gpu: { types: ['L4', 'A10G'], count: 1 },
    workload: { cluster: 'demo-aws-use1', namespace: 'search' },
  },
};

const pool: Entity = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'GpuPool',
  metadata: { name: 'demo-aws-use1.g6-l4-spot', title: 'g6-l4-spot' },
  spec: {
    owner: 'group:default/platform-team',
    cluster: 'demo-aws-use1',
    provider: 'aws',
    region: 'us-east-1',
    instanceType: 'g6.xlarge',
    capacityType: 'spot',
    gpu: { product: 'L4', perNode: 1 },
  },
};

describe('modelfleetEntityTransformer', () => {
  it("indexes a Model by its name, source, runtime, GPUs and cluster, besides Backstage's fields", () => {
    const document = modelfleetEntityTransformer(model);
    expect(document).toMatchObject({
      title: 'Search reranker',
      kind: 'Model',
      type: 'reranker',
      owner: 'group:default/search-team',
    });
    for (const term of [
      'Reranks search results',
      'search-reranker',
      'BAAI/bge-reranker-large',
      'triton',
      'L4',
      'A10G',
      'demo-aws-use1',
    ]) {
      expect(document.text).toContain(term);
    }
  });

  it('indexes a GpuPool by its cluster, cloud, region, instance type and GPU', () => {
    expect(modelfleetTerms(pool)).toEqual([
      'demo-aws-use1.g6-l4-spot',
      'demo-aws-use1',
      'aws',
      'us-east-1',
      'g6.xlarge',
      'spot',
      'L4',
    ]);
  });

  it('leaves other entities as Backstage indexes them', () => {
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'search-api', description: 'The search API' },
      spec: { type: 'service', owner: 'group:default/search-team' },
    };
    expect(modelfleetEntityTransformer(component).text).toBe('The search API');
  });

  it('reads a malformed spec without failing', () => {
    const odd = { ...model, spec: { gpu: 'L4', source: 7 } } as Entity;
    expect(modelfleetTerms(odd)).toEqual(['search-reranker', '7']);
  });
});
