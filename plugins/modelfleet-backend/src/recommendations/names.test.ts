import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogEntityNames, entityNamesOf, poolPlaces } from './names';

describe('entity names', () => {
  it("reads a Model's title, a Group's display name, else their names, never a ref", async () => {
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'modelfleet.io/v1alpha1',
          kind: 'Model',
          metadata: { name: 'search-reranker', title: 'Search reranker' },
        },
        {
          apiVersion: 'modelfleet.io/v1alpha1',
          kind: 'Model',
          metadata: { name: 'sdxl' },
          spec: { replicas: { min: 2, max: 4 } },
        },
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'search-team', title: 'Search' },
          spec: { profile: { displayName: 'Search team' } },
        },
      ],
    });
    const logger = mockServices.logger.mock();
    const names = await new CatalogEntityNames(
      catalog,
      mockServices.auth(),
      logger,
    ).names();
    expect(names.model('model:default/search-reranker')).toBe(
      'Search reranker',
    );
    expect(names.model('Model:default/SDXL')).toBe('sdxl');
    expect(names.team('group:default/search-team')).toBe('Search team');
    expect(names.model('model:default/not-in-catalog')).toBe('not-in-catalog');
    // spec.replicas.min, for the PodDisruptionBudget ModelFleet renders.
    expect(names.minReplicas?.('model:default/sdxl')).toBe(2);
    expect(
      names.minReplicas?.('model:default/search-reranker'),
    ).toBeUndefined();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("goes by the refs' names when the catalog does not answer, and says so", async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: async () => {
        throw new Error('catalog down');
      },
    });
    const logger = mockServices.logger.mock();
    const names = await new CatalogEntityNames(
      catalog,
      mockServices.auth(),
      logger,
    ).names();
    expect(names.team('group:default/search-team')).toBe('search-team');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/names could not be read.*catalog down/),
    );
    expect(entityNamesOf([]).model('not a ref')).toBe('not a ref');
  });

  it('says where a pool is with its GPU and title', () => {
    const place = poolPlaces([
      {
        cluster: 'demo-gcp-usc1',
        name: 'g2-l4',
        provider: 'gcp',
        zones: [],
        capacityType: 'spot',
        gpu: { product: 'L4', perNode: 1, sharing: 'whole' },
        nodes: { current: 1 },
        gpus: { allocatable: 1, allocated: 1 },
        observedAt: '2026-12-06T00:00:00Z',
        stale: false,
        demo: true,
      },
    ]);
    expect(place('gpupool:default/demo-gcp-usc1.g2-l4')).toBe(
      'L4 on g2-l4 (demo-gcp-usc1)',
    );
    expect(place('gpupool:default/elsewhere.x')).toBe('elsewhere.x');
  });
});
