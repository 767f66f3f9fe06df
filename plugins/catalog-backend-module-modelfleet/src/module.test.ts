import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import unprocessedModule from '@backstage/plugin-catalog-backend-module-unprocessed';
import { modelEntityV1alpha1Schema } from '@modelfleet/plugin-modelfleet-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

describe('a malformed Model read from a location', () => {
  it('shows on the unprocessed path with the field named', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-catalog-'));
    const file = path.join(dir, 'model.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: modelfleet.io/v1alpha1',
        'kind: Model',
        'metadata: { name: broken-model }',
        'spec: { type: llm, source: x/y, runtime: vllm, gpu: { count: 1 } }',
      ].join('\n'),
    );
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleModelfleet,
        unprocessedModule,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Model', 'Location'] }],
              locations: [{ type: 'file', target: file }],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    // The module's answer carries each entity's processing errors.
    let body = '';
    for (let i = 0; i < 100 && !body.includes('broken-model'); i++) {
      const res = await request(server).get(
        '/api/catalog/entities/unprocessed/pending',
      );
      body = JSON.stringify(res.body);
      if (!body.includes('broken-model')) {
        await new Promise(r => setTimeout(r, 200));
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(body).toMatch(
      /model:default\/broken-model.*\/spec must have required property 'owner'/,
    );
  });
});
