import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  formatManifestIssues,
  renderManifestsInputFields as fields,
  RenderManifestsInput,
  renderModelManifests,
  validateManifests,
} from '../manifests';
import { parseRenderInput } from '../manifests/input';
import { assertGroupInCatalog, scaffolderFields } from '../validation';
import { examples } from './renderManifests.examples';

/**
 * `modelfleet:manifests:render`: renders the Kubernetes manifests of a model
 * placed on a GPU pool (Deployment, Service, HPA or KEDA ScaledObject,
 * PodDisruptionBudget, NetworkPolicy, model-cache PVC, ServiceAccount and,
 * for Triton, its model repository), validates them offline against the
 * Kubernetes schemas, and writes them with a kustomization and the `Model`
 * entity's `catalog-info.yaml` into the workspace.
 *
 * The input is checked before anything is written or logged: every field
 * by this package's (strict) zod schemas, which the scaffolder also turns
 * into the action's JSON schema, and the owner against the catalog.
 *
 * @public
 */
export function createRenderManifestsAction(options: {
  catalog: CatalogService;
}) {
  return createTemplateAction({
    id: 'modelfleet:manifests:render',
    description:
      'Renders and validates the Kubernetes manifests (Deployment, Service, autoscaler, PDB, NetworkPolicy, cache PVC) and the Model catalog entity of a model placed on a GPU pool, and writes them into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: scaffolderFields(fields),
      output: {
        files: z =>
          z.array(z.string(), {
            description: 'Paths written, relative to the workspace',
          }),
        manifests: z =>
          z.array(z.record(z.any()), {
            description: 'The rendered Kubernetes objects',
          }),
        entityRef: z =>
          z.string({ description: 'Entity ref of the Model entity' }),
      },
    },
    async handler(ctx) {
      const input = parseRenderInput(ctx.input as RenderManifestsInput);
      await assertGroupInCatalog({
        catalog: options.catalog,
        credentials: await ctx.getInitiatorCredentials(),
        field: 'owner',
        ref: input.owner,
      });
      const rendered = renderModelManifests(input);
      const issues = await validateManifests(rendered.manifests);
      if (issues.length > 0) {
        throw new InputError(
          `The rendered manifests do not pass Kubernetes validation:\n${formatManifestIssues(
            issues,
          )}`,
        );
      }

      const targetPath = input.targetPath;
      let targetDir: string;
      try {
        targetDir = resolveSafeChildPath(ctx.workspacePath, targetPath);
      } catch {
        throw new InputError(
          `targetPath: ${targetPath} resolves outside the workspace`,
        );
      }
      const written: string[] = [];
      for (const file of rendered.files) {
        const absolute = resolveSafeChildPath(targetDir, file.path);
        const relative = path
          .relative(ctx.workspacePath, absolute)
          .split(path.sep)
          .join('/');
        // Written in dry-run too: the workspace is a scratch directory and
        // the dry-run shows what the template would publish.
        await fs.mkdir(path.dirname(absolute), { recursive: true });
        await fs.writeFile(absolute, file.content, 'utf8');
        written.push(relative);
      }
      const entityRef = `model:default/${rendered.entity.metadata.name}`;
      ctx.logger.info(
        `Rendered ${
          rendered.manifests.length
        } manifests for ${entityRef} (${rendered.manifests
          .map(m => m.kind)
          .join(', ')}) into ${written.join(', ')}`,
      );
      ctx.output('files', written);
      ctx.output('manifests', rendered.manifests);
      ctx.output('entityRef', entityRef);
    },
  });
}
