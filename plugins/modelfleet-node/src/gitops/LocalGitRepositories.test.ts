import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LocalGitRepositories } from './LocalGitRepositories';

jest.setTimeout(60_000);

describe('LocalGitRepositories', () => {
  const dir = createMockDirectory();

  beforeEach(() => {
    dir.clear();
    dir.setContent({
      source: {
        'catalog-info.yaml': 'kind: Model\n',
        manifests: { 'deployment.yaml': 'kind: Deployment\n' },
      },
    });
  });

  const repos = () =>
    LocalGitRepositories.fromConfig(
      new ConfigReader({
        modelfleet: { gitops: { local: { root: dir.resolve('gitops') } } },
      }),
    )!;

  it('is absent unless configured', () => {
    expect(LocalGitRepositories.fromConfig(new ConfigReader({}))).toBe(
      undefined,
    );
  });

  it('publishes a directory as the first commit of a bare repository and checks it out', async () => {
    const r = repos();
    const created = await r.create('bge-embeddings', dir.resolve('source'), {
      message: 'Deploy bge-embeddings',
      author: { name: 'Ana Silva', email: 'ana@example.com' },
    });
    const bare = dir.resolve('gitops/repos/bge-embeddings.git');
    expect(created).toEqual({
      name: 'bge-embeddings',
      remoteUrl: `file://${bare}`,
      checkoutPath: dir.resolve('gitops/checkouts/bge-embeddings'),
      catalogInfoPath: dir.resolve(
        'gitops/checkouts/bge-embeddings/catalog-info.yaml',
      ),
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const log = execFileSync(
      'git',
      ['--git-dir', bare, 'log', '--format=%an <%ae> %s', 'main'],
      { encoding: 'utf8' },
    );
    expect(log.trim()).toBe(
      'Ana Silva <ana@example.com> Deploy bge-embeddings',
    );
    const files = execFileSync(
      'git',
      ['--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main'],
      { encoding: 'utf8' },
    );
    expect(files.trim().split('\n')).toEqual([
      'catalog-info.yaml',
      'manifests/deployment.yaml',
    ]);
    // The source directory is not turned into a repository.
    expect(fs.existsSync(dir.resolve('source/.git'))).toBe(false);

    await expect(
      r.create('bge-embeddings', dir.resolve('source')),
    ).rejects.toThrow(
      "repoName: the repository 'bge-embeddings' exists already",
    );
  });

  it('brings working copies up to what was pushed, and lists every repository', async () => {
    const r = repos();
    await r.create('a-model', dir.resolve('source'));
    await r.create('b-model', dir.resolve('source'));
    // Someone pushes a change the GitOps way.
    const clone = dir.resolve('clone');
    execFileSync('git', [
      'clone',
      '--quiet',
      `file://${dir.resolve('gitops/repos/a-model.git')}`,
      clone,
    ]);
    fs.writeFileSync(
      path.join(clone, 'catalog-info.yaml'),
      'kind: Model\nchanged: true\n',
    );
    execFileSync('git', [
      '-C',
      clone,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qam',
      'change',
    ]);
    execFileSync('git', ['-C', clone, 'push', '--quiet', 'origin', 'main']);

    const listed = await r.sync();
    expect(listed.map(x => x.name)).toEqual(['a-model', 'b-model']);
    expect(fs.readFileSync(listed[0].catalogInfoPath!, 'utf8')).toContain(
      'changed: true',
    );
  });

  it('refuses names that could leave the root', async () => {
    const r = repos();
    for (const name of ['../evil', 'a/b', '', 'UPPER', '-x']) {
      await expect(r.create(name, dir.resolve('source'))).rejects.toThrow(
        /^repoName: '.*' must be 1–100 lower-case letters/,
      );
    }
  });
});
