import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Documented, and run as tests. */
export const examples: TemplateExample[] = [
  {
    description:
      'Check the rendered manifests against the cluster of the chosen pool (server-side dry-run; the default)',
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
            owner: 'group:default/search-team',
          },
        },
      ],
    }),
  },
  {
    description:
      'Apply to the cluster now (needs modelfleet.model.deploy and a team policy that is not dry-run only)',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'modelfleet:deploy',
          name: 'Apply to the cluster',
          input: {
            cluster: '${{ steps.placement.output.cluster }}',
            namespace: 'models',
            manifests: '${{ steps.render.output.manifests }}',
            owner: 'group:default/search-team',
            entityRef: 'model:default/bge-large-embeddings',
            dryRun: false,
          },
        },
      ],
    }),
  },
];
