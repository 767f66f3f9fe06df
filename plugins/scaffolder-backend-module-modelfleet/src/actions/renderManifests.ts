import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
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
import { examples } from './renderManifests.examples';

/**
 * `modelfleet:manifests:render`: renders the Kubernetes manifests of a model
 * placed on a GPU pool (Deployment, Service, HPA or KEDA ScaledObject,
 * PodDisruptionBudget, NetworkPolicy, model-cache PVC, ServiceAccount and,
 * for Triton, its model repository), validates them offline against the
 * Kubernetes schemas, and writes them with a kustomization and the `Model`
 * entity's `catalog-info.yaml` into the workspace.
 *
 * @public
 */
/*
 * The fields are this package's zod schemas, which also validate the input in
 * the renderer (applying defaults the scaffolder's JSON-schema check does
 * not). The scaffolder only turns them into JSON schema; its own zod copy
 * types them differently, hence `any`.
 */
const field = (key: keyof typeof fields) => (): any => fields[key];

export function createRenderManifestsAction() {
  return createTemplateAction({
    id: 'modelfleet:manifests:render',
    description:
      'Renders and validates the Kubernetes manifests (Deployment, Service, autoscaler, PDB, NetworkPolicy, cache PVC) and the Model catalog entity of a model placed on a GPU pool, and writes them into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: field('name'),
        namespace: field('namespace'),
        title: field('title'),
        description: field('description'),
        owner: field('owner'),
        system: field('system'),
        lifecycle: field('lifecycle'),
        model: field('model'),
        gpu: field('gpu'),
        replicas: field('replicas'),
        traffic: field('traffic'),
        hibernation: field('hibernation'),
        pool: field('pool'),
        monthlyBudgetUsd: field('monthlyBudgetUsd'),
        spot: field('spot'),
        cacheStorageClass: field('cacheStorageClass'),
        targetPath: field('targetPath'),
      },
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
      // Parsed again by the renderer, which applies the defaults and names
      // the offending field in an InputError.
      const rendered = renderModelManifests(ctx.input as RenderManifestsInput);
      const issues = await validateManifests(rendered.manifests);
      if (issues.length > 0) {
        throw new InputError(
          `The rendered manifests do not pass Kubernetes validation:\n${formatManifestIssues(
            issues,
          )}`,
        );
      }

      const targetPath = ctx.input.targetPath ?? '.';
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
