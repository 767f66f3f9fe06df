export { GpuPoolPicker } from './GpuPoolPicker';
export { gpuPoolPickerValidation, NO_POOL_PICKED } from './value';
export type {
  GpuPoolPickerProps,
  GpuPoolPickerSummary,
  GpuPoolPickerUiOptions,
  GpuPoolPickerValue,
} from './value';
export { placementInputs } from './request';
export type { GpuPoolPickerInput } from './request';

/** The name templates use: `ui:field: GpuPoolPicker`. */
export const GPU_POOL_PICKER_FIELD_NAME = 'GpuPoolPicker';
