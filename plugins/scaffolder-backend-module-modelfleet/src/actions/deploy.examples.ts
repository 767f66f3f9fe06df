import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Documented, and run as tests. */
export const examples: TemplateExample[] = [
  {
    description:
      'Check the rendered manifests against the cluster of the chosen pool (server-side dry-run through the ModelFleet backend; the default). The owner is used only while the Model is not yet in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'modelfleet:deploy',
          name: 'Check against the cluster',
          input: {
            cluster: '${{ steps.placement.output.cluster }}',
            namespace: 'models',
            manifests: '${{ steps.render.output.manifests }}',
            entityRef: '${{ steps.render.output.entityRef }}',
            owner: 'group:default/search-team',
          },
        },
      ],
    }),
  },
  {
    description:
      "Deploy now: the ModelFleet backend stores a deploy action and the step follows it until it is done (needs modelfleet.model.deploy and membership of the owner team or a platform team; when the team's policy is dry-run, the action waits for approval and the step says so)",
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'modelfleet:deploy',
          name: 'Deploy to the cluster',
          input: {
            cluster: '${{ steps.placement.output.cluster }}',
            namespace: 'models',
            manifests: '${{ steps.render.output.manifests }}',
            entityRef: 'model:default/bge-large-embeddings',
            owner: 'group:default/search-team',
            dryRun: false,
            reason: 'First deploy of the embeddings model',
            timeoutSeconds: 600,
          },
        },
      ],
    }),
  },
];
