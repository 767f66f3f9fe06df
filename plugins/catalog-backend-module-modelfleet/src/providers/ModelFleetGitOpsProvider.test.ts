import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  GITOPS_PUBLISHED_TOPIC,
  LocalGitRepositories,
} from '@modelfleet/plugin-modelfleet-node';
import { ConfigReader } from '@backstage/config';
import request from 'supertest';
import { catalogModuleModelfleet } from '../module';

jest.setTimeout(60_000);

const model = (name: string) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name },
  spec: {
    type: 'llm',
    owner: 'group:default/search-team',
    source: 'BAAI/bge-large-en-v1.5',
    runtime: 'tgi',
    gpu: { count: 1 },
    runsOn: ['gpupool:default/demo-aws-use1.g6-l4-spot'],
  },
});

describe('ModelFleetGitOpsProvider with the real catalog', () => {
  const dir = createMockDirectory();

  it('registers what is pushed to the local GitOps target, at once when the scaffolder says so', async () => {
    dir.clear();
    dir.setContent({
      first: { 'catalog-info.yaml': JSON.stringify(model('first-model')) },
      second: { 'catalog-info.yaml': JSON.stringify(model('second-model')) },
    });
    const root = dir.resolve('gitops');
    const repos = LocalGitRepositories.fromConfig(
      new ConfigReader({ modelfleet: { gitops: { local: { root } } } }),
    )!;
    await repos.create('first-model', dir.resolve('first'));

    let publish: (() => Promise<void>) | undefined;
    const publisher = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-publisher',
      register(reg) {
        reg.registerInit({
          deps: { events: eventsServiceRef },
          async init({ events }) {
            publish = () =>
              events.publish({
                topic: GITOPS_PUBLISHED_TOPIC,
                eventPayload: { repository: 'second-model' },
              });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleModelfleet,
        publisher,
        mockServices.rootConfig.factory({
          data: {
            catalog: { rules: [{ allow: ['Model', 'Location'] }] },
            modelfleet: { gitops: { local: { root } } },
          },
        }),
      ],
    });
    const entity = async (ref: string) =>
      request(server)
        .get(`/api/catalog/entities/by-name/${ref}`)
        .set('Authorization', mockCredentials.user.header());
    const waitFor = async (ref: string) => {
      for (let i = 0; i < 100; i++) {
        const res = await entity(ref);
        if (res.status === 200) return res.body;
        await new Promise(r => setTimeout(r, 200));
      }
      throw new Error(`${ref} never appeared`);
    };

    const first = await waitFor('model/default/first-model');
    expect(first.metadata.annotations['backstage.io/managed-by-location']).toBe(
      `file:${root}/checkouts/first-model/catalog-info.yaml`,
    );
    const location = await waitFor('location/default/gitops-first-model');
    expect(location.spec).toEqual({
      type: 'file',
      target: `${root}/checkouts/first-model/catalog-info.yaml`,
    });

    // A second repository appears on the event, not after the schedule.
    await repos.create('second-model', dir.resolve('second'));
    await publish!();
    await waitFor('model/default/second-model');
  });
});
