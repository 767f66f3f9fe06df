export { WakeOnField } from './WakeOnField';
export { wakeOnApplies, wakeOnChoices, wakeOnCorrection } from './wakeOn';
export type { WakeOnFieldProps, WakeOnUiOptions, WakeOnChoice } from './wakeOn';
