import TextField from '@material-ui/core/TextField';
import { MaxReplicasFieldProps, numberOf } from './validation';

/**
 * Scaffolder field `ui:field: MaxReplicas`: the maximum replicas of a
 * model, a whole number whose validation also says, on the step where both
 * are typed, when it is below the minimum replicas (`ui:options.minField`).
 *
 * @public
 */
export const MaxReplicasField = (props: MaxReplicasFieldProps) => {
  const {
    formData,
    onChange,
    onBlur,
    onFocus,
    schema,
    rawErrors,
    required,
    disabled,
    readonly,
    idSchema,
  } = props;
  const id = idSchema?.$id ?? 'replicasMax';
  return (
    <TextField
      id={id}
      type="number"
      label={schema?.title ?? 'Maximum replicas'}
      helperText={schema?.description}
      value={formData ?? ''}
      required={required}
      disabled={disabled || readonly}
      error={(rawErrors?.length ?? 0) > 0}
      fullWidth
      margin="normal"
      inputProps={{
        min: typeof schema?.minimum === 'number' ? schema.minimum : undefined,
        max: typeof schema?.maximum === 'number' ? schema.maximum : undefined,
        step: 1,
      }}
      onChange={e => onChange(numberOf(e.target.value))}
      onBlur={e => onBlur?.(id, numberOf(e.target.value))}
      onFocus={e => onFocus?.(id, numberOf(e.target.value))}
    />
  );
};
