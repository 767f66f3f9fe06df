import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { GpuPoolPicker } from './GpuPoolPicker';
import { gpuPoolPickerValidation } from './value';

/**
 * The GpuPoolPicker as a form field of the new frontend system's
 * scaffolder, loaded by the plugin's `scaffolder-form-field` extension.
 */
export const gpuPoolPickerFormField = createFormField({
  name: 'GpuPoolPicker',
  component: GpuPoolPicker,
  validation: gpuPoolPickerValidation,
});
