import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { MaxReplicasField } from './MaxReplicasField';
import { maxReplicasValidation } from './validation';

/**
 * The MaxReplicas field of the new frontend system's scaffolder, loaded by
 * the plugin's `scaffolder-form-field` extension.
 */
export const maxReplicasFormField = createFormField({
  name: 'MaxReplicas',
  component: MaxReplicasField,
  validation: maxReplicasValidation,
});
