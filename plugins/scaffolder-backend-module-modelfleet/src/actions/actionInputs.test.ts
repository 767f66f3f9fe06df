import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { LocalGitRepositories } from '@modelfleet/plugin-modelfleet-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { renderModelManifests } from '../manifests';
import { baseInput } from '../manifests/testInput';
import { teamCatalog } from '../__testUtils__/teams';
import { createDeployAction } from './deploy';
import { createEstimateMemoryAction } from './estimateMemory';
import { createPublishLocalAction, createRegisterLocalAction } from './gitops';
import {
  createPlacementClient,
  createRecommendPlacementAction,
} from './recommendPlacement';
import { createRenderManifestsAction } from './renderManifests';

// Loading the Kubernetes schemas is slow on a loaded CI machine.
jest.setTimeout(60_000);

/**
 * A ModelFleet backend nobody listens on: an input refused by the action
 * fails with its InputError; one that got through would fail to connect.
 */
const unreachable = {
  discovery: {
    getBaseUrl: async (id: string) => `http://127.0.0.1:9/api/${id}`,
    getExternalBaseUrl: async (id: string) => `http://127.0.0.1:9/api/${id}`,
  },
  auth: mockServices.auth(),
};
const catalog = teamCatalog();
const dir = createMockDirectory({
  content: {
    workspace: {
      'catalog-info.yaml': 'kind: Model\nmetadata:\n  name: chat\n',
    },
  },
});
const repos = LocalGitRepositories.fromConfig(
  new ConfigReader({
    modelfleet: { gitops: { local: { root: dir.resolve('gitops') } } },
  }),
);

const actions = {
  estimate: createEstimateMemoryAction(),
  recommend: createRecommendPlacementAction({
    client: createPlacementClient(unreachable),
    catalog,
  }),
  render: createRenderManifestsAction({ catalog }),
  deploy: createDeployAction({
    ...unreachable,
    auditor: mockServices.auditor.mock(),
    catalog,
  }),
  publish: createPublishLocalAction({ repos }),
  register: createRegisterLocalAction({
    repos,
    catalog,
    events: mockServices.events.mock(),
  }),
};

async function failure(
  action: { handler: (ctx: any) => Promise<void> },
  input: Record<string, unknown>,
  isDryRun = false,
): Promise<Error | undefined> {
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: dir.resolve('workspace'),
  });
  (ctx as any).isDryRun = isDryRun;
  return action.handler(ctx).then(
    () => undefined,
    (e: Error) => e,
  );
}

/** Every `{ type: number|integer }` in a JSON schema, with its path. */
function numbersOf(schema: any, path = ''): Array<[string, any]> {
  if (!schema || typeof schema !== 'object') return [];
  const here: Array<[string, any]> =
    schema.type === 'number' || schema.type === 'integer'
      ? [[path, schema]]
      : [];
  const children = [
    ...Object.entries(schema.properties ?? {}).map(
      ([k, s]) => [`${path}.${k}`, s] as const,
    ),
    ...(schema.items ? [[`${path}[]`, schema.items] as const] : []),
    ...(schema.anyOf ?? []).map((s: any) => [path, s] as const),
  ];
  return [...here, ...children.flatMap(([p, s]) => numbersOf(s, p))];
}

/** Every object schema with named properties, with its path. */
function objectsOf(schema: any, path = 'input'): Array<[string, any]> {
  if (!schema || typeof schema !== 'object') return [];
  const here: Array<[string, any]> = schema.properties ? [[path, schema]] : [];
  return [
    ...here,
    ...Object.entries(schema.properties ?? {}).flatMap(([k, s]) =>
      objectsOf(s, `${path}.${k}`),
    ),
    ...(schema.items ? objectsOf(schema.items, `${path}[]`) : []),
  ];
}

describe('the input schemas of every ModelFleet action', () => {
  it('bound every number and refuse unknown keys at every depth', () => {
    const render = actions.render.schema?.input as any;
    expect(numbersOf(render).map(([p]) => p)).toEqual([
      '.model.parametersBillions',
      '.gpu.count',
      '.gpu.memoryGiB',
      '.replicas.min',
      '.replicas.max',
      '.hibernation.idleMinutes',
      '.monthlyBudgetUsd',
    ]);
    for (const [name, action] of Object.entries(actions)) {
      const schema = action.schema?.input as any;
      for (const [path, n] of numbersOf(schema)) {
        const where = `${name} input${path}`;
        expect([where, n.minimum ?? n.exclusiveMinimum]).not.toEqual([
          where,
          undefined,
        ]);
        expect([where, n.maximum]).not.toEqual([where, undefined]);
      }
      for (const [path, o] of objectsOf(schema)) {
        expect([`${name} ${path}`, o.additionalProperties]).toEqual([
          `${name} ${path}`,
          false,
        ]);
      }
    }
  });
});

describe('modelfleet:model:estimate-memory', () => {
  it.each([
    [
      { parametersBillions: 1e300 },
      'parametersBillions: must be a number from 0.001 to 10000',
    ],
    [
      { kvCacheFraction: 1e308 },
      'kvCacheFraction: must be a number from 0 to 10',
    ],
    [
      { runtimeOverheadGiB: 1e308 },
      'runtimeOverheadGiB: must be a number from 0 to 1024',
    ],
    [{ gpuCount: 1e6 }, 'gpuCount: must be a whole number from 1 to 64'],
    [{ gpus: 2 }, 'gpus: unknown key'],
  ])(
    'refuses %j instead of answering "Infinity GiB"',
    async (over, message) => {
      const e = await failure(actions.estimate, {
        parametersBillions: 8,
        precision: 'bf16',
        ...over,
      });
      expect(e?.name).toBe('InputError');
      expect(e?.message).toBe(message);
    },
  );
});

describe('modelfleet:placement:recommend', () => {
  const input = {
    name: 'chat',
    memoryMiB: 19000,
    replicas: { min: 1, max: 2 },
  };
  it.each([
    [
      { monthlyBudgetUsd: Infinity },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    // Under 1 USD a month no pool fits: out of range, not "cannot be placed".
    [
      { monthlyBudgetUsd: 5e-324 },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    [
      { monthlyBudgetUsd: 0.5 },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    [
      { replicas: { min: 1, max: 1e6 } },
      'replicas.max: must be a whole number from 1 to 64',
    ],
    [
      { gpusPerReplica: 2.5 },
      'gpusPerReplica: must be a whole number from 1 to 64',
    ],
    [
      { memoryMiB: 1e15 },
      'memoryMiB: must be a number greater than 0 and at most 16777216',
    ],
    [{ replicas: { min: 1, max: 2, maxx: 9 } }, 'replicas.maxx: unknown key'],
    [{ budget: 10 }, 'budget: unknown key'],
    [
      { owner: 'group:default/ghost-team' },
      'owner: group:default/ghost-team is not a Group in the catalog; pick an existing team',
    ],
  ])('refuses %j before asking the backend', async (over, message) => {
    const e = await failure(actions.recommend, { ...input, ...over });
    expect(e?.name).toBe('InputError');
    expect(e?.message).toBe(message);
  });
});

describe('modelfleet:deploy', () => {
  const { manifests } = renderModelManifests(baseInput());
  const input = {
    cluster: 'gpu-aws-use1',
    namespace: 'search',
    manifests,
    entityRef: 'model:default/llama-3-1-8b-chat',
    owner: 'group:default/search-team',
  };
  it.each([
    [
      { timeoutSeconds: Infinity },
      'timeoutSeconds: must be a whole number from 1 to 3600',
    ],
    [{ dryrun: false }, 'dryrun: unknown key'],
    [
      { owner: 'group:default/ghost-team' },
      'owner: group:default/ghost-team is not a Group in the catalog; pick an existing team',
    ],
    // As entityRef, the field given, not as the backend's `model`, and
    // without repeating a credential pasted into it.
    [
      { entityRef: 'https://user:s3cr3t@huggingface.co/org/model' },
      'entityRef: must be an entity ref such as model:default/chat',
    ],
    [
      { entityRef: 'model:default/\ud800' },
      'entityRef: must be an entity ref such as model:default/chat',
    ],
    [
      { entityRef: 'group:default/search-team' },
      'entityRef: must refer to a Model, not a group',
    ],
    // A ref that is an Object property, and objects not named after it:
    // both sides named, not the backend's `model`.
    [
      { entityRef: 'constructor' },
      `entityRef: the Model 'constructor' deploys only objects named after it (constructor or constructor-…), not ${manifests
        .slice(0, 5)
        .map((m, i) => `manifests[${i}].metadata.name '${m.metadata.name}'`)
        .join(', ')}${
        manifests.length > 5 ? ` and ${manifests.length - 5} more` : ''
      }`,
    ],
  ])('refuses %j before asking the backend', async (over, message) => {
    const e = await failure(actions.deploy, { ...input, ...over });
    expect(e?.name).toBe('InputError');
    expect(e?.message).toBe(message);
  });
});

describe('local GitOps actions', () => {
  it('refuses an unknown key of modelfleet:publish:local', async () => {
    const e = await failure(
      actions.publish,
      { repoName: 'chat', sourcepath: 'manifests' },
      true,
    );
    expect(e?.message).toBe('sourcepath: unknown key');
  });

  it('bounds the wait of modelfleet:catalog:register-local', async () => {
    const e = await failure(
      actions.register,
      { repoName: 'chat', timeoutSeconds: 1e9 },
      true,
    );
    expect(e?.message).toBe(
      'timeoutSeconds: must be a number greater than 0 and at most 600',
    );
  });
});
