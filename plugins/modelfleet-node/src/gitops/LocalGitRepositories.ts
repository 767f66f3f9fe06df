import { Config } from '@backstage/config';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Events topic published when a repository of the local GitOps target
 * changed, so the catalog registers it at once.
 *
 * @public
 */
export const GITOPS_PUBLISHED_TOPIC = 'modelfleet.gitops.published';

/**
 * Config key of the offline GitOps target.
 *
 * @public
 */
export const LOCAL_GITOPS_ROOT_KEY = 'modelfleet.gitops.local.root';

/**
 * Config key of the web view of the offline GitOps target's repositories
 * (a git web viewer serving `root`): repository `name` is at
 * `<webUrl>/<name>`.
 *
 * @public
 */
export const LOCAL_GITOPS_WEB_URL_KEY = 'modelfleet.gitops.local.webUrl';

/**
 * Name of the catalog `Location` entity the catalog module registers for
 * the local GitOps repository `repoName`: the repository's page in the
 * portal.
 *
 * @public
 */
export function localGitOpsLocationName(repoName: string): string {
  return `gitops-${repoName}`.slice(0, 63).replace(/[-_.]+$/, '');
}

const REPO_NAME = /^[a-z0-9]([-a-z0-9_.]{0,98}[a-z0-9])?$/;

/** Runs git, failing with its stderr. */
function git(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          reject(
            new Error(
              code === 'ENOENT'
                ? 'git is not installed; the local GitOps target needs the git command'
                : `git ${args[0]} failed: ${stderr.trim() || error.message}`,
            ),
          );
        } else resolve(stdout.trim());
      },
    );
  });
}

const exists = (p: string) =>
  fs.stat(p).then(
    () => true,
    () => false,
  );

/** A repository of the local GitOps target. */
export interface LocalGitRepository {
  name: string;
  /** `file://` URL of the bare repository (what `git clone` takes). */
  remoteUrl: string;
  /** Working copy of the default branch, which the catalog reads. */
  checkoutPath: string;
  /** `catalog-info.yaml` of the working copy, when the repository has one. */
  catalogInfoPath?: string;
}

/**
 * The offline GitOps target of the embedded default: bare git repositories
 * under `modelfleet.gitops.local.root` (`repos/<name>.git`), each with a
 * working copy of its default branch (`checkouts/<name>`) that the catalog
 * reads. Anything that can push to a git remote can update a repository; the
 * catalog provider brings the working copies up to date.
 *
 * @public
 */
export class LocalGitRepositories {
  /** The target, or undefined when `modelfleet.gitops.local.root` is not set. */
  static fromConfig(config: Config): LocalGitRepositories | undefined {
    const root = config.getOptionalString(LOCAL_GITOPS_ROOT_KEY);
    if (root === undefined) return undefined;
    if (!root.trim()) {
      throw new Error(`${LOCAL_GITOPS_ROOT_KEY}: must not be empty`);
    }
    const webUrl = config.getOptionalString(LOCAL_GITOPS_WEB_URL_KEY);
    if (webUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(webUrl)) {
      throw new Error(
        `${LOCAL_GITOPS_WEB_URL_KEY}: must be an http:// or https:// URL, got '${webUrl}'`,
      );
    }
    return new LocalGitRepositories(
      path.resolve(root),
      webUrl?.replace(/\/+$/, ''),
    );
  }

  constructor(
    readonly root: string,
    /** Base URL of the repositories' web view, when there is one. */
    readonly webUrl?: string,
  ) {}

  /** The web page of repository `name`, when a web view is configured. */
  webUrlOf(name: string): string | undefined {
    LocalGitRepositories.assertName(name);
    return this.webUrl
      ? `${this.webUrl}/${encodeURIComponent(name)}`
      : undefined;
  }

  private bare(name: string) {
    return path.join(this.root, 'repos', `${name}.git`);
  }

  private checkout(name: string) {
    return path.join(this.root, 'checkouts', name);
  }

  /** Throws a TypeError naming `field` unless `name` is a safe repository name. */
  static assertName(name: string, field = 'repoName'): void {
    if (!REPO_NAME.test(name)) {
      throw new TypeError(
        `${field}: '${name}' must be 1–100 lower-case letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      );
    }
  }

  async exists(name: string): Promise<boolean> {
    LocalGitRepositories.assertName(name);
    return exists(this.bare(name));
  }

  /**
   * Creates the bare repository `name` holding the files of `sourceDir` as
   * its first commit on `branch`, and its working copy. Fails when the
   * repository exists.
   */
  async create(
    name: string,
    sourceDir: string,
    options: {
      branch?: string;
      message?: string;
      author?: { name: string; email: string };
    } = {},
  ): Promise<LocalGitRepository & { commit: string }> {
    LocalGitRepositories.assertName(name);
    const branch = options.branch ?? 'main';
    const bare = this.bare(name);
    if (await exists(bare)) {
      throw new TypeError(`repoName: the repository '${name}' exists already`);
    }
    await fs.mkdir(path.dirname(bare), { recursive: true });
    await git([
      'init',
      '--quiet',
      '--bare',
      `--initial-branch=${branch}`,
      bare,
    ]);
    // A throw-away repository around the files, so the source is untouched.
    const work = await fs.mkdtemp(path.join(this.root, '.publish-'));
    try {
      const gitDir = [
        '--git-dir',
        path.join(work, '.git'),
        '--work-tree',
        sourceDir,
      ];
      await git(['init', '--quiet', `--initial-branch=${branch}`, work]);
      await git([...gitDir, 'add', '--all', '.']);
      const author = options.author ?? {
        name: 'ModelFleet',
        email: 'modelfleet@localhost',
      };
      await git([
        ...gitDir,
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        'commit',
        '--quiet',
        '-m',
        options.message ?? 'Initial commit',
      ]);
      await git([
        ...gitDir,
        'push',
        '--quiet',
        bare,
        `HEAD:refs/heads/${branch}`,
      ]);
    } catch (e) {
      await fs.rm(bare, { recursive: true, force: true });
      throw e;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
    const commit = await git(['--git-dir', bare, 'rev-parse', branch]);
    const [repo] = await this.sync([name]);
    return { ...repo, commit };
  }

  /**
   * Brings the working copies of the repositories (all, or `names`) up to
   * their default branch, cloning the missing ones, and lists them.
   */
  async sync(names?: string[]): Promise<LocalGitRepository[]> {
    const reposDir = path.join(this.root, 'repos');
    const all =
      names ??
      (await fs.readdir(reposDir).catch(() => []))
        .filter(f => f.endsWith('.git'))
        .map(f => f.slice(0, -4))
        .filter(n => REPO_NAME.test(n))
        .sort();
    const out: LocalGitRepository[] = [];
    for (const name of all) {
      const bare = this.bare(name);
      const checkout = this.checkout(name);
      const head = await git([
        '--git-dir',
        bare,
        'symbolic-ref',
        '--short',
        'HEAD',
      ]);
      const hasCommits = await git([
        '--git-dir',
        bare,
        'rev-parse',
        '--verify',
        '--quiet',
        head,
      ]).then(
        () => true,
        () => false,
      );
      if (!hasCommits) continue;
      if (!(await exists(path.join(checkout, '.git')))) {
        await fs.rm(checkout, { recursive: true, force: true });
        await fs.mkdir(path.dirname(checkout), { recursive: true });
        await git(['clone', '--quiet', '--branch', head, bare, checkout]);
      } else {
        await git(['fetch', '--quiet', 'origin', head], checkout);
        await git(['reset', '--quiet', '--hard', 'FETCH_HEAD'], checkout);
      }
      const catalogInfo = path.join(checkout, 'catalog-info.yaml');
      out.push({
        name,
        remoteUrl: `file://${bare}`,
        checkoutPath: checkout,
        ...((await exists(catalogInfo))
          ? { catalogInfoPath: catalogInfo }
          : {}),
      });
    }
    return out;
  }
}
