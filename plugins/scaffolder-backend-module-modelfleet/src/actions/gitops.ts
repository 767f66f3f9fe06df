import { InputError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  GITOPS_PUBLISHED_TOPIC,
  LocalGitRepositories,
  localGitOpsLocationName,
} from '@modelfleet/plugin-modelfleet-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'yaml';
import { z } from 'zod';
import { numberIn, parseInput, scaffolderFields } from '../validation';
import { publishExamples, registerExamples } from './gitops.examples';

const publishFields = {
  repoName: z.string({
    description: 'Name of the new repository (lower-case, a-z 0-9 - _ .)',
  }),
  sourcePath: z
    .string({
      description: 'Directory of the workspace to publish (default: all)',
    })
    .optional(),
  defaultBranch: z.string({ description: 'Default branch (main)' }).optional(),
  gitCommitMessage: z
    .string({ description: 'Message of the first commit' })
    .max(2000)
    .optional(),
  gitAuthorName: z.string().max(200).optional(),
  gitAuthorEmail: z.string().max(200).optional(),
};
const publishSchema = z.object(publishFields).strict();

const registerFields = {
  repoName: z.string({ description: 'The repository' }),
  catalogInfoPath: z
    .string({
      description:
        'Path of the entity file in the workspace, whose entity is awaited (catalog-info.yaml)',
    })
    .optional(),
  timeoutSeconds: numberIn(
    { min: 0, exclusiveMin: true, max: 600 },
    'How long to wait for the entity (60)',
  ).optional(),
};
const registerSchema = z.object(registerFields).strict();

function notConfigured(): never {
  throw new InputError(
    'The local GitOps target is not configured: set modelfleet.gitops.local.root, or publish with a publish:* action of your git host',
  );
}

/** The configured target, once `repoName` is known to be a safe name. */
function targetFor(
  repos: LocalGitRepositories | undefined,
  repoName: string,
): LocalGitRepositories {
  if (!repos) notConfigured();
  try {
    LocalGitRepositories.assertName(repoName);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return repos;
}

/** Resolves `sub` inside `root`, or throws an InputError naming `field`. */
function inside(root: string, sub: string | undefined, field: string) {
  const resolved = path.resolve(root, sub ?? '.');
  if (resolved !== root && !resolved.startsWith(`${root}${path.sep}`)) {
    throw new InputError(`${field}: '${sub}' is outside the workspace`);
  }
  return resolved;
}

/**
 * `modelfleet:publish:local`: publishes the workspace (or a directory of
 * it) as the first commit of a new repository of the local GitOps target —
 * the embedded default's offline stand-in for `publish:github` and friends.
 *
 * @public
 */
export function createPublishLocalAction(options: {
  repos?: LocalGitRepositories;
}) {
  return createTemplateAction({
    id: 'modelfleet:publish:local',
    description:
      'Publishes the workspace to a new repository of the local GitOps target (bare git repositories under modelfleet.gitops.local.root).',
    examples: publishExamples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(publishFields),
      output: scaffolderFields({
        remoteUrl: z.string({ description: 'file:// URL of the repository' }),
        repoContentsUrl: z.string({
          description: 'file:// URL of its working copy',
        }),
        commitHash: z.string(),
        webUrl: z
          .string({
            description:
              'Web page of the repository, when modelfleet.gitops.local.webUrl is set',
          })
          .optional(),
        locationRef: z.string({
          description:
            'The catalog Location of the repository: its page in the portal',
        }),
      }),
    },
    async handler(ctx) {
      const input = parseInput(publishSchema, ctx.input);
      const repos = targetFor(options.repos, input.repoName);
      const { repoName } = input;
      const source = inside(ctx.workspacePath, input.sourcePath, 'sourcePath');
      // Where a browser opens the repository: its web view, and its
      // Location page in the catalog (file:// URLs open in no browser).
      const webUrl = repos.webUrlOf(repoName);
      if (webUrl) ctx.output('webUrl', webUrl);
      ctx.output(
        'locationRef',
        `location:default/${localGitOpsLocationName(repoName)}`,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry-run: would publish ${source} to ${repos.root}/repos/${repoName}.git`,
        );
        ctx.output('remoteUrl', `file://${repos.root}/repos/${repoName}.git`);
        ctx.output(
          'repoContentsUrl',
          `file://${repos.root}/checkouts/${repoName}`,
        );
        ctx.output('commitHash', '0'.repeat(40));
        return;
      }
      const created = await ctx.checkpoint({
        key: `publish.local.${repoName}`,
        fn: async () => {
          if (await repos.exists(repoName)) {
            throw new InputError(
              `repoName: the repository '${repoName}' exists already`,
            );
          }
          const r = await repos.create(repoName, source, {
            branch: input.defaultBranch,
            message: input.gitCommitMessage ?? 'Initial commit',
            author:
              input.gitAuthorName && input.gitAuthorEmail
                ? { name: input.gitAuthorName, email: input.gitAuthorEmail }
                : undefined,
          });
          return {
            remoteUrl: r.remoteUrl,
            checkoutPath: r.checkoutPath,
            commit: r.commit,
          };
        },
      });
      ctx.logger.info(`Published ${created.remoteUrl} (${created.commit})`);
      ctx.output('remoteUrl', created.remoteUrl);
      ctx.output('repoContentsUrl', `file://${created.checkoutPath}`);
      ctx.output('commitHash', created.commit);
    },
  });
}

/**
 * `modelfleet:catalog:register-local`: has the catalog register a
 * repository of the local GitOps target now (the catalog module registers
 * every repository of the target; this tells it to look at once) and waits
 * until the entity of its `catalog-info.yaml` is in the catalog.
 *
 * @public
 */
export function createRegisterLocalAction(options: {
  repos?: LocalGitRepositories;
  catalog: CatalogService;
  events: EventsService;
}) {
  return createTemplateAction({
    id: 'modelfleet:catalog:register-local',
    description:
      'Registers a repository of the local GitOps target in the catalog and waits for its entity.',
    examples: registerExamples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(registerFields),
      output: scaffolderFields({
        entityRef: z.string(),
        catalogInfoUrl: z.string(),
      }),
    },
    async handler(ctx) {
      const input = parseInput(registerSchema, ctx.input);
      const repos = targetFor(options.repos, input.repoName);
      const { repoName } = input;
      const timeoutSeconds = input.timeoutSeconds ?? 60;
      const file = inside(
        ctx.workspacePath,
        input.catalogInfoPath ?? 'catalog-info.yaml',
        'catalogInfoPath',
      );
      let entityRef: string;
      try {
        const doc = yaml.parse(await fs.readFile(file, 'utf8'));
        entityRef = stringifyEntityRef(
          parseEntityRef(
            { kind: doc?.kind, name: doc?.metadata?.name } as any,
            { defaultNamespace: doc?.metadata?.namespace ?? 'default' },
          ),
        );
      } catch (e) {
        throw new InputError(
          `catalogInfoPath: no entity can be read from ${path.relative(
            ctx.workspacePath,
            file,
          )}: ${(e as Error).message}`,
        );
      }
      const catalogInfoUrl = `file://${
        repos.root
      }/checkouts/${repoName}/${path.relative(ctx.workspacePath, file)}`;
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      if (ctx.isDryRun) return;
      if (!(await repos.exists(repoName))) {
        throw new InputError(
          `repoName: the local GitOps target has no repository '${repoName}'`,
        );
      }
      await options.events.publish({
        topic: GITOPS_PUBLISHED_TOPIC,
        eventPayload: { repository: repoName },
      });
      const credentials = await ctx.getInitiatorCredentials();
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const entity = await options.catalog.getEntityByRef(entityRef, {
          credentials,
        });
        if (entity) break;
        if (Date.now() > deadline) {
          throw new Error(
            `${entityRef} did not appear in the catalog within ${timeoutSeconds} s; see /api/catalog/entities/unprocessed/failed`,
          );
        }
        await new Promise(r => setTimeout(r, 500));
      }
      ctx.logger.info(`Registered ${entityRef} from ${catalogInfoUrl}`);
    },
  });
}
