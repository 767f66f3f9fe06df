import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { LocalGitRepositories } from '@modelfleet/plugin-modelfleet-node';
import { execFileSync } from 'node:child_process';
import yaml from 'yaml';
import { GITOPS_PUBLISHED_TOPIC } from '@modelfleet/plugin-modelfleet-node';
import { createPublishLocalAction, createRegisterLocalAction } from './gitops';
import { publishExamples, registerExamples } from './gitops.examples';

jest.setTimeout(30_000);

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'bge-large-embeddings' },
  spec: { owner: 'group:default/search-team' },
};

describe('local GitOps actions', () => {
  const dir = createMockDirectory();
  let repos: LocalGitRepositories;
  beforeEach(() => {
    dir.clear();
    dir.setContent({
      workspace: {
        'catalog-info.yaml': yaml.stringify(model),
        manifests: { 'deployment.yaml': 'kind: Deployment\n' },
      },
    });
    repos = LocalGitRepositories.fromConfig(
      new ConfigReader({
        modelfleet: { gitops: { local: { root: dir.resolve('gitops') } } },
      }),
    )!;
  });
  const step = (examples: any[]) => yaml.parse(examples[0].example).steps[0];

  it("links the repository's configured web view, and refuses a web view that is not http(s)", async () => {
    const withWeb = LocalGitRepositories.fromConfig(
      new ConfigReader({
        modelfleet: {
          gitops: {
            local: {
              root: dir.resolve('gitops'),
              webUrl: 'https://git.example.com/gitops/',
            },
          },
        },
      }),
    )!;
    const ctx = createMockActionContext({
      input: step(publishExamples).input,
      workspacePath: dir.resolve('workspace'),
    });
    (ctx as any).checkpoint = async (o: any) => o.fn();
    await createPublishLocalAction({ repos: withWeb }).handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith(
      'webUrl',
      'https://git.example.com/gitops/bge-large-embeddings',
    );
    expect(() =>
      LocalGitRepositories.fromConfig(
        new ConfigReader({
          modelfleet: {
            gitops: { local: { root: 'x', webUrl: 'file:///srv/git' } },
          },
        }),
      ),
    ).toThrow(
      "modelfleet.gitops.local.webUrl: must be an http:// or https:// URL, got 'file:///srv/git'",
    );
  });

  it('publishes the workspace (example), in a checkpoint, and refuses an existing repository', async () => {
    const action = createPublishLocalAction({ repos });
    const { input } = step(publishExamples);
    const ctx = createMockActionContext({
      input,
      workspacePath: dir.resolve('workspace'),
    });
    const checkpoint = jest.fn(async (o: any) => o.fn());
    (ctx as any).checkpoint = checkpoint;
    await action.handler(ctx as any);
    expect(checkpoint.mock.calls[0][0].key).toBe(
      'publish.local.bge-large-embeddings',
    );
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    const bare = dir.resolve('gitops/repos/bge-large-embeddings.git');
    expect(out).toEqual({
      remoteUrl: `file://${bare}`,
      repoContentsUrl: `file://${dir.resolve(
        'gitops/checkouts/bge-large-embeddings',
      )}`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
      // A page a browser opens: the repository's Location in the catalog
      // (no web view is configured).
      locationRef: 'location:default/gitops-bge-large-embeddings',
    });
    expect(
      execFileSync('git', ['--git-dir', bare, 'log', '--format=%s'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('Deploy bge-large-embeddings');

    const again = createMockActionContext({
      input,
      workspacePath: dir.resolve('workspace'),
    });
    await expect(action.handler(again as any)).rejects.toThrow(
      "repoName: the repository 'bge-large-embeddings' exists already",
    );
  });

  it('names bad input and does nothing in dry-run', async () => {
    const action = createPublishLocalAction({ repos });
    const bad = createMockActionContext({
      input: { repoName: '../x' },
      workspacePath: dir.resolve('workspace'),
    });
    await expect(action.handler(bad as any)).rejects.toThrow(/^repoName: /);
    const outside = createMockActionContext({
      input: { repoName: 'x', sourcePath: '../..' },
      workspacePath: dir.resolve('workspace'),
    });
    await expect(action.handler(outside as any)).rejects.toThrow(
      "sourcePath: '../..' is outside the workspace",
    );
    const dry = createMockActionContext({
      input: { repoName: 'x' },
      workspacePath: dir.resolve('workspace'),
    });
    (dry as any).isDryRun = true;
    await action.handler(dry as any);
    expect(await repos.exists('x')).toBe(false);

    const unconfigured = createPublishLocalAction({});
    await expect(
      unconfigured.handler(
        createMockActionContext({ input: { repoName: 'x' } }) as any,
      ),
    ).rejects.toThrow(/^The local GitOps target is not configured/);
  });

  it('registers (example): tells the catalog, waits for the entity', async () => {
    await repos.create('bge-large-embeddings', dir.resolve('workspace'));
    const entities = new Map<string, Entity>();
    const events = {
      publish: jest.fn(async () => {
        // The catalog picks the repository up a moment later.
        setTimeout(
          () =>
            entities.set('model:default/bge-large-embeddings', model as any),
          700,
        );
      }),
      subscribe: jest.fn(),
    };
    const catalog = {
      getEntityByRef: jest.fn(async (ref: string) => entities.get(ref)),
    };
    const action = createRegisterLocalAction({
      repos,
      catalog: catalog as any,
      events: events as any,
    });
    const ctx = createMockActionContext({
      input: step(registerExamples).input,
      workspacePath: dir.resolve('workspace'),
    });
    await action.handler(ctx as any);
    expect(events.publish).toHaveBeenCalledWith({
      topic: GITOPS_PUBLISHED_TOPIC,
      eventPayload: { repository: 'bge-large-embeddings' },
    });
    expect(catalog.getEntityByRef.mock.calls.length).toBeGreaterThan(1);
    expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls)).toEqual({
      entityRef: 'model:default/bge-large-embeddings',
      catalogInfoUrl: `file://${dir.resolve(
        'gitops/checkouts/bge-large-embeddings/catalog-info.yaml',
      )}`,
    });

    const missing = createMockActionContext({
      input: { repoName: 'nope' },
      workspacePath: dir.resolve('workspace'),
    });
    await expect(action.handler(missing as any)).rejects.toThrow(
      "repoName: the local GitOps target has no repository 'nope'",
    );

    const late = createMockActionContext({
      input: { repoName: 'bge-large-embeddings', timeoutSeconds: 0.2 },
      workspacePath: dir.resolve('workspace'),
    });
    entities.clear();
    events.publish.mockImplementation(async () => {});
    await expect(action.handler(late as any)).rejects.toThrow(
      'model:default/bge-large-embeddings did not appear in the catalog within 0.2 s',
    );
  });
});
