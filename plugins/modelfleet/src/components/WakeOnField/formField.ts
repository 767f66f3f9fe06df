import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { WakeOnField } from './WakeOnField';

/**
 * The WakeOn field of the new frontend system's scaffolder, loaded by the
 * plugin's `scaffolder-form-field` extension.
 */
export const wakeOnFormField = createFormField({
  name: 'WakeOn',
  component: WakeOnField,
});
