import { useEffect, useRef } from 'react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import {
  WakeOnFieldProps,
  wakeOnApplies,
  wakeOnChoices,
  wakeOnCorrection,
} from './wakeOn';

/**
 * Scaffolder field `ui:field: WakeOn`: how a model that scales to zero
 * wakes. It owns its value: asked (a select of the schema's `enum`, named
 * by its `enumNames`) only while the traffic pattern
 * (`ui:options.trafficField`, default `traffic`) is one that idles
 * (`ui:options.idleTraffic`, default business hours and sporadic); for any
 * other traffic it shows nothing and clears an answer given before, so the
 * Review step and the task never carry a stale one.
 *
 * @public
 */
export const WakeOnField = (props: WakeOnFieldProps) => {
  const {
    formData,
    onChange,
    onBlur,
    onFocus,
    schema,
    uiSchema,
    formContext,
    rawErrors,
    required,
    disabled,
    readonly,
    idSchema,
  } = props;
  const id = idSchema?.$id ?? 'wakeOn';
  const applies = wakeOnApplies(
    (formContext as { formData?: unknown } | undefined)?.formData,
    uiSchema?.['ui:options'],
  );
  const fallback =
    typeof schema?.default === 'string' ? schema.default : undefined;
  const correction = wakeOnCorrection(formData, applies, fallback);
  const pending = correction !== undefined;
  const to = correction?.to;
  // The form hands a new onChange on each render; the correction alone
  // decides when to change the value.
  const change = useRef(onChange);
  change.current = onChange;
  useEffect(() => {
    if (pending) change.current(to);
  }, [pending, to]);

  if (!applies) return null;
  const choices = wakeOnChoices(schema);
  const value = formData ?? fallback ?? '';
  return (
    <TextField
      id={id}
      select
      label={schema?.title ?? 'Wake from zero on'}
      helperText={schema?.description}
      value={choices.some(c => c.value === value) ? value : ''}
      required={required}
      disabled={disabled || readonly}
      error={(rawErrors?.length ?? 0) > 0}
      fullWidth
      margin="normal"
      onChange={e => onChange(e.target.value || undefined)}
      onBlur={() => onBlur?.(id, formData)}
      onFocus={() => onFocus?.(id, formData)}
    >
      {choices.map(choice => (
        <MenuItem key={choice.value} value={choice.value}>
          {choice.label}
        </MenuItem>
      ))}
    </TextField>
  );
};
