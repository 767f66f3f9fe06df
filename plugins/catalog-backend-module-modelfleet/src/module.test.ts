import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { modelEntityV1alpha1Schema } from '@modelfleet/plugin-modelfleet-common';
import request from 'supertest';
import { catalogModuleModelfleet } from './module';

jest.setTimeout(60_000);

describe('catalogModuleModelfleet with the real catalog backend', () => {
  async function validate(entity: unknown) {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleModelfleet,
        mockServices.rootConfig.factory({
          data: { catalog: { rules: [{ allow: ['Model', 'GpuPool'] }] } },
        }),
      ],
    });
    return request(server)
      .post('/api/catalog/validate-entity')
      .send({ entity, location: 'url:https://example.com/catalog-info.yaml' });
  }

  it('accepts a valid Model', async () => {
    const res = await validate(modelEntityV1alpha1Schema.examples[0]);
    expect(res.status).toBe(200);
  });

  it('answers 400 naming the owner field for a Model without owner', async () => {
    const model: any = JSON.parse(
      JSON.stringify(modelEntityV1alpha1Schema.examples[0]),
    );
    delete model.spec.owner;
    const res = await validate(model);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/required property 'owner'/);
  });
});
