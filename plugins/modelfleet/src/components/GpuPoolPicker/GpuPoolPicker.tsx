import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  PlacementOption,
  PlacementRequestBody,
} from '@modelfleet/plugin-modelfleet-common';
import { ReactNode, useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { Caption } from './Caption';
import { ExcludedPools } from './ExcludedPools';
import { MemoryNeeded } from './MemoryNeeded';
import { PolicyFacts } from './PolicyFacts';
import { orderCaption, PoolTable } from './PoolTable';
import { PoolOrder } from './ranking';
import { placementInputs } from './request';
import { placementSummary } from './summary';
import { backendMessage, plural } from './text';
import { useDebounced } from './useDebounced';
import {
  blockingFor,
  GpuPoolPickerProps,
  GpuPoolPickerValue,
  Placement,
  sameValue,
} from './value';

/**
 * Scaffolder field `ui:field: GpuPoolPicker`: asks the ModelFleet backend
 * which GPU pools fit the model described by the other form values, shows
 * the memory the model needs, the owner team's policy and the fitting pools
 * ranked by monthly cost, and stores the picked pool.
 *
 * @public
 */
export const GpuPoolPicker = (props: GpuPoolPickerProps) => {
  const {
    formData,
    onChange,
    formContext,
    uiSchema,
    schema,
    rawErrors,
    required,
    disabled,
    readonly,
    idSchema,
  } = props;
  const api = useApi(modelfleetApiRef);
  const options = uiSchema?.['ui:options'];
  const fields = options?.fields;
  const debounceMs = options?.debounceMs ?? 500;
  const picked = formData?.pool;
  const [order, setOrder] = useState<PoolOrder>('bill');

  const inputs = placementInputs(
    formContext?.formData as Record<string, unknown> | undefined,
    fields,
    picked,
  );
  const requestKey = inputs.ready ? JSON.stringify(inputs.body) : '';
  const debouncedKey = useDebounced(requestKey, debounceMs);

  const state = useAsync(async (): Promise<Placement | undefined> => {
    if (!debouncedKey) return undefined;
    const request = JSON.parse(debouncedKey) as PlacementRequestBody;
    return { request, response: await api.placement(request) };
  }, [api, debouncedKey]);
  const placement = state.value;

  // Without a value the scaffolder would not run the field's validation.
  useEffect(() => {
    if (formData === undefined) onChange({});
  }, [formData, onChange]);

  // Keep the stored value in line with the latest answer: the recommended
  // pool when none is picked, its cost and the blocking reasons.
  useEffect(() => {
    if (!placement) return;
    const pool = picked ?? placement.response.recommended ?? undefined;
    const option = placement.response.options.find(o => o.ref === pool);
    const summary = placementSummary(placement, pool);
    const next: GpuPoolPickerValue = {
      pool,
      monthlyUsd: option?.monthlyUsd,
      blocking: blockingFor(placement, pool),
      ...(option?.gpu.sharing ? { sharing: option.gpu.sharing } : {}),
      ...(summary ? { summary } : {}),
    };
    if (!sameValue(formData, next)) onChange(next);
  }, [placement, picked, formData, onChange]);

  const pick = (option: PlacementOption) => {
    if (option.violations.length > 0) return;
    const summary = placement && placementSummary(placement, option.ref);
    onChange({
      pool: option.ref,
      monthlyUsd: option.monthlyUsd,
      blocking: placement ? blockingFor(placement, option.ref) : [],
      ...(option.gpu.sharing ? { sharing: option.gpu.sharing } : {}),
      ...(summary ? { summary } : {}),
    });
  };

  const radioName = `${idSchema?.$id ?? 'gpu-pool'}-pool`;
  const replicas = useMemo(
    () => placement?.response.request.replicas ?? { min: 1, max: 1 },
    [placement],
  );

  let body: ReactNode;
  if (!inputs.ready) {
    body = <Alert severity="info">{inputs.missing}</Alert>;
  } else if (state.error) {
    body = (
      <Alert severity="error" data-testid="gpu-pool-error">
        <AlertTitle>Could not find GPU pools for the model</AlertTitle>
        {backendMessage(state.error)}
      </Alert>
    );
  } else if (!placement) {
    body = <Progress />;
  } else {
    const { response } = placement;
    body = (
      <>
        {(state.loading || debouncedKey !== requestKey) && <Progress />}
        <MemoryNeeded placement={placement} />
        <PolicyFacts placement={placement} />
        {response.blocking.length > 0 && (
          <Box mb={2}>
            <Alert severity="error" data-testid="gpu-pool-blocking">
              <AlertTitle>The model cannot be deployed as requested</AlertTitle>
              <Box component="ul" m={0} pl={2}>
                {response.blocking.map(reason => (
                  <li key={reason}>{reason}</li>
                ))}
              </Box>
            </Alert>
          </Box>
        )}
        <Typography variant="h6" component="h3" id={`${radioName}-heading`}>
          GPU pools that fit
        </Typography>
        <Caption>
          {orderCaption(order)}, at{' '}
          {plural(Math.max(replicas.min, 1), 'replica')}; click a column heading
          to rank by it. {response.hoursPerMonth ?? 730} hours a month,{' '}
          {response.method === 'exact' ? 'exact' : 'heuristic'} placement.
        </Caption>
        {response.options.length === 0 ? (
          <Box my={1}>
            <Typography variant="body2">
              No GPU pool fits this model.
            </Typography>
          </Box>
        ) : (
          <Box
            role="radiogroup"
            aria-labelledby={`${radioName}-heading`}
            my={1}
            style={{ overflowX: 'auto' }}
          >
            <PoolTable
              options={response.options}
              order={order}
              onOrder={setOrder}
              recommended={response.recommended}
              picked={formData?.pool}
              disabled={Boolean(disabled || readonly)}
              name={radioName}
              replicas={replicas}
              onPick={pick}
            />
          </Box>
        )}
        <ExcludedPools excluded={response.excluded} />
      </>
    );
  }

  return (
    <FormControl
      component="fieldset"
      margin="normal"
      required={required}
      error={(rawErrors?.length ?? 0) > 0}
      fullWidth
      data-testid="gpu-pool-picker"
    >
      <FormLabel component="legend">{schema?.title ?? 'GPU pool'}</FormLabel>
      {schema?.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
      <Box mt={1}>{body}</Box>
    </FormControl>
  );
};
