export { MaxReplicasField } from './MaxReplicasField';
export { maxReplicasValidation, maxReplicasProblem } from './validation';
export type { MaxReplicasFieldProps, MaxReplicasUiOptions } from './validation';
