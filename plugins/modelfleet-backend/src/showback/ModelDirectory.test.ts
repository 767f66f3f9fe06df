import { mockCredentials } from '@backstage/backend-test-utils';
import { CatalogModelDirectory } from './ModelDirectory';

const llama = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-chat', namespace: 'default' },
  spec: {
    owner: 'search-team',
    workload: {
      cluster: 'c1',
      namespace: 'search',
      kind: 'Deployment',
      name: 'llama',
    },
  },
};
const workload = {
  cluster: 'c1',
  namespace: 'search',
  kind: 'Deployment',
  name: 'llama',
  modelId: 'llama',
};
const auth = {
  getOwnServiceCredentials: async () => mockCredentials.service(),
} as any;

function catalog(answers: Array<'error' | 'empty' | 'models'>) {
  const calls: string[] = [];
  return {
    calls,
    service: {
      getEntities: async () => {
        const a = answers[Math.min(calls.length, answers.length - 1)];
        calls.push(a);
        if (a === 'error') throw new Error('read ECONNRESET');
        return { items: a === 'empty' ? [] : [llama] };
      },
    } as any,
  };
}

describe('CatalogModelDirectory', () => {
  const sleeps: number[] = [];
  const options = {
    retryDelaysMs: [1, 2, 3],
    sleep: async (ms: number) => void sleeps.push(ms),
  };
  beforeEach(() => sleeps.splice(0));

  it('retries a catalog that fails or is still empty at start, then maps workloads to models and teams', async () => {
    const c = catalog(['error', 'empty', 'models']);
    const lookup = await new CatalogModelDirectory(
      c.service,
      auth,
      options,
    ).lookup({ expectModels: true });
    expect(c.calls).toEqual(['error', 'empty', 'models']);
    expect(sleeps).toEqual([1, 2]);
    expect(lookup(workload)).toEqual({
      modelRef: 'model:default/llama-chat',
      teamRef: 'group:default/search-team',
    });
  });

  it('takes an empty catalog as it is when no models are expected', async () => {
    const c = catalog(['empty']);
    const lookup = await new CatalogModelDirectory(
      c.service,
      auth,
      options,
    ).lookup();
    expect(c.calls).toEqual(['empty']);
    expect(lookup(workload)).toEqual({
      modelRef: 'model:default/llama',
      teamRef: '',
    });
  });

  it('gives up with the error when the catalog never answers', async () => {
    const c = catalog(['error']);
    await expect(
      new CatalogModelDirectory(c.service, auth, options).lookup(),
    ).rejects.toThrow('the catalog could not be read: read ECONNRESET');
    expect(c.calls).toHaveLength(4);
  });
});
