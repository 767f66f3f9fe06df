import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Documented, and run as tests. */
export const publishExamples: TemplateExample[] = [
  {
    description:
      'Publish the rendered manifests and catalog-info.yaml to a new repository of the local GitOps target',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'modelfleet:publish:local',
          name: 'Publish',
          input: {
            repoName: 'bge-large-embeddings',
            gitCommitMessage: 'Deploy bge-large-embeddings',
          },
        },
      ],
    }),
  },
];

/** Documented, and run as tests. */
export const registerExamples: TemplateExample[] = [
  {
    description: 'Register the published repository and wait for its Model',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'modelfleet:catalog:register-local',
          name: 'Register',
          input: { repoName: 'bge-large-embeddings' },
        },
      ],
    }),
  },
];
