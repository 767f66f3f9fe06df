import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import { renderModelManifests } from '../manifests';
import { baseInput } from '../manifests/testInput';
import { teamCatalog } from '../__testUtils__/teams';
import { createRenderManifestsAction } from './renderManifests';

// Loading the Kubernetes schemas is slow on a loaded CI machine.
jest.setTimeout(60_000);

const SECRET = 's3cr3t-Tok3n';

/** What a user types into the template, as the render step receives it. */
describe('modelfleet:manifests:render refuses what a user must not type', () => {
  const action = createRenderManifestsAction({
    catalog: teamCatalog([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'mock', namespace: 'default' },
        spec: {},
      },
    ]),
  });
  const mockDir = createMockDirectory();
  beforeEach(() => mockDir.clear());

  /** Runs the handler; the error (or undefined), and everything it logged and wrote. */
  const run = async (input: Record<string, unknown>) => {
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: mockDir.path,
      logger,
    });
    const error = await action.handler(ctx as any).then(
      () => undefined,
      (e: Error) => e,
    );
    const logged = JSON.stringify(
      [logger.info, logger.warn, logger.error, logger.debug].map(
        m => (m as jest.Mock).mock.calls,
      ),
    );
    const written = fs.existsSync(mockDir.path)
      ? fs.readdirSync(mockDir.path, { recursive: true })
      : [];
    return { error, logged, written, ctx };
  };
  const withSource = (source: string) =>
    baseInput({ model: { ...baseInput().model, source } });

  it.each([
    `https://user:${SECRET}@models.example.com/m.tar.gz`,
    `oci://robot:${SECRET}@registry.example.com/models/m:1`,
    `hf://user:${SECRET}@meta-llama/Llama-3.1-8B-Instruct`,
    `s3://AKIAEXAMPLE:${SECRET}@models-acme/m/`,
    `https://models.example.com/m.tar.gz?X-Amz-Signature=${SECRET}`,
  ])(
    'refuses registry credentials in %s, points to a Secret, and never writes or logs them',
    async source => {
      const { error, logged, written } = await run(withSource(source));
      expect(error?.name).toBe('InputError');
      expect(error?.message).toMatch(
        /^Invalid input: model\.source: must not (carry credentials|have a query string).*Kubernetes Secret.*modelfleet-hf-token/,
      );
      expect(error?.message).not.toContain(SECRET);
      expect(logged).not.toContain(SECRET);
      // No Deployment env/args, catalog-info.yaml or README is written.
      expect(written).toEqual([]);
    },
  );

  it.each([
    ['hf://--trust-remote-code', 'vllm'],
    ['hf://--trust-remote-code', 'tgi'],
    ['hf://../../../etc/passwd', 'vllm'],
    ['hf://org/../../etc/passwd', 'triton'],
    ['org/..', 'vllm'],
    ['hf://org/model/extra', 'vllm'],
    ['oci://registry.example.com/Models/M', 'vllm'],
    ['oci://registry.example.com/m:-tag', 'vllm'],
    ['s3://bucket/../other-bucket', 'tgi'],
    ['https://example.com/$(id).tar.gz', 'tgi'],
  ])(
    'refuses the model id %s (%s) naming model.source',
    async (source, runtime) => {
      const input = baseInput({
        model: { ...baseInput().model, source, runtime: runtime as any },
      });
      const { error, written } = await run(input);
      expect(error?.name).toBe('InputError');
      expect(error?.message).toMatch(/^Invalid input: model\.source: must be /);
      expect(written).toEqual([]);
    },
  );

  it('passes the model to TGI as the value of --model-id=, and the https source to curl as --url', () => {
    const tgi = renderModelManifests(
      baseInput({
        model: { ...baseInput().model, source: 'org/model', runtime: 'tgi' },
      }),
    ).manifests.find(m => m.kind === 'Deployment')!.spec.template.spec;
    expect(tgi.containers[0].args[0]).toBe('--model-id=org/model');
    expect(tgi.containers[0].args).not.toContain('org/model');

    const https = renderModelManifests(
      withSource('https://example.com/m.tar.gz'),
    ).manifests.find(m => m.kind === 'Deployment')!.spec.template.spec;
    const fetch = https.initContainers[0];
    expect(fetch.args.join(' ')).toContain(
      'curl -fsSL --retry 5 --url "$MODEL_SOURCE"',
    );
    expect(fetch.args.join(' ')).not.toContain('example.com');
  });

  it.each([
    [
      { replicas: { min: 0, max: 1_000_000 } },
      'replicas.max: must be a whole number from 1 to 64',
    ],
    [
      { monthlyBudgetUsd: Infinity },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    [
      { monthlyBudgetUsd: 1e12 },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    [
      { gpu: { product: 'L4', count: 1e6, memoryGiB: 19 } },
      'gpu.count: must be a whole number from 1 to 64',
    ],
    [
      { gpu: { product: 'L4', count: 1, memoryGiB: 1e9 } },
      'gpu.memoryGiB: must be a number greater than 0 and at most 16384',
    ],
    [
      { model: { ...baseInput().model, parametersBillions: 1e300 } },
      'model.parametersBillions: must be a number from 0.001 to 10000',
    ],
    [
      { hibernation: { idleMinutes: 1e9 } },
      'hibernation.idleMinutes: must be a number from 1 to 10080',
    ],
    [
      {
        pool: {
          ...baseInput().pool,
          scheduling: {
            ...baseInput().pool.scheduling,
            nodeSelector: { $where: 'x' },
          },
        },
      },
      'pool.scheduling.nodeSelector.$where: must be a Kubernetes label key: name "$where" must be at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric',
    ],
  ])(
    'refuses %j naming the field and its range',
    async (overrides, message) => {
      const { error, written } = await run(baseInput(overrides as any));
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(`Invalid input: ${message}`);
      expect(written).toEqual([]);
    },
  );

  it.each([
    [{ replicas: { min: 1, max: 2, maxx: 8 } }, 'replicas.maxx: unknown key'],
    [{ replica: 3 }, 'replica: unknown key'],
    [
      { model: { ...baseInput().model, revision: 'main' } },
      'model.revision: unknown key',
    ],
    [
      { gpu: { product: 'L4', count: 1, memoryGiB: 19, shared: true } },
      'gpu.shared: unknown key',
    ],
    [{ hibernation: { idleMinute: 5 } }, 'hibernation.idleMinute: unknown key'],
    [
      {
        pool: {
          ...baseInput().pool,
          scheduling: {
            ...baseInput().pool.scheduling,
            tolerations: [
              {
                key: 'k',
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: 5,
              },
            ],
          },
        },
      },
      'pool.scheduling.tolerations[0].tolerationSeconds: unknown key',
    ],
  ])(
    'refuses the unknown key in %j, naming its path',
    async (overrides, message) => {
      const { error } = await run(baseInput(overrides as any));
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(`Invalid input: ${message}`);
    },
  );

  it.each([
    [
      'group:default/ghost-team',
      'owner: group:default/ghost-team is not a Group in the catalog; pick an existing team',
    ],
    [
      'ghost-team',
      'owner: group:default/ghost-team is not a Group in the catalog; pick an existing team',
    ],
    [
      'user:default/mock',
      "owner: 'user:default/mock' must refer to a Group, not a user",
    ],
  ])(
    'refuses the owner %s unless it is a Group in the catalog',
    async (owner, message) => {
      const { error, written } = await run(baseInput({ owner }));
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(message);
      expect(written).toEqual([]);
    },
  );
});
