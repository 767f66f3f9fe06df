import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  PlacementExclusion,
  PlacementOption,
  PlacementRequestBody,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { ReactNode, useEffect, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { formatMiB, formatUnitUsd, formatUsd } from '../CostCommon/format';
import { GpuPoolPickerInput, placementInputs } from './request';

/**
 * The value the GpuPoolPicker field stores: the picked GpuPool entity ref,
 * its monthly cost at the minimum replicas, and the reasons the model cannot
 * be deployed as requested (empty when it can).
 *
 * @public
 */
export type GpuPoolPickerValue = {
  pool?: string;
  monthlyUsd?: number;
  blocking?: string[];
  /** How the picked pool shares its GPUs (the sleep idle tier needs time-slicing). */
  sharing?: 'whole' | 'mig' | 'time-slicing';
};

/**
 * `ui:options` of the GpuPoolPicker field.
 *
 * @public
 */
export type GpuPoolPickerUiOptions = {
  /**
   * Form field names of the placement inputs, where the template names them
   * differently, e.g. `{ replicasMin: 'minReplicas' }`. A dotted path reads
   * a nested value.
   */
  fields?: Partial<Record<GpuPoolPickerInput, string>>;
  /** Wait this long after the last change of an input before asking again. Defaults to 500 ms. */
  debounceMs?: number;
};

/**
 * Props of the GpuPoolPicker field.
 *
 * @public
 */
export type GpuPoolPickerProps = FieldExtensionComponentProps<
  GpuPoolPickerValue,
  GpuPoolPickerUiOptions
>;

/** The error shown when no pool is picked. */
export const NO_POOL_PICKED = 'Pick a GPU pool for the model to run on.';

/**
 * Validation of the GpuPoolPicker field: a pool must be picked, and the
 * placement must have no blocking reason (a policy violation, no capacity).
 *
 * @public
 */
export const gpuPoolPickerValidation: CustomFieldValidator<
  GpuPoolPickerValue,
  GpuPoolPickerUiOptions
> = (value, validation) => {
  if (!value?.pool) {
    validation.addError(NO_POOL_PICKED);
  }
  for (const reason of value?.blocking ?? []) {
    validation.addError(reason);
  }
};

type Placement = { request: PlacementRequestBody; response: PlacementResponse };

const PROVIDER_NAMES: Record<string, string> = {
  aws: 'AWS',
  gcp: 'GCP',
  azure: 'Azure',
  other: 'Other',
};

function providerRegion(pool: { provider: string; region: string }): string {
  return `${PROVIDER_NAMES[pool.provider] ?? pool.provider} ${pool.region}`;
}

function gib(value: number): string {
  return `${value.toFixed(1)} GiB`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function backendMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : error.message;
}

/**
 * The blocking reasons of a placement for `pool`. When the answer was for
 * another pick, the reasons about that pick are left out until the next
 * answer comes.
 */
function blockingFor(placement: Placement, pool: string | undefined) {
  const { request, response } = placement;
  if (request.pool === pool) return response.blocking;
  const stale = new Set<string>();
  if (response.picked?.exclusion) stale.add(response.picked.exclusion.reason);
  for (const violation of response.picked?.option?.violations ?? []) {
    stale.add(violation.reason);
  }
  return response.blocking.filter(reason => !stale.has(reason));
}

function sameValue(
  a: GpuPoolPickerValue | undefined,
  b: GpuPoolPickerValue,
): boolean {
  return (
    a?.pool === b.pool &&
    a?.monthlyUsd === b.monthlyUsd &&
    a?.sharing === b.sharing &&
    JSON.stringify(a?.blocking ?? []) === JSON.stringify(b.blocking ?? [])
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    if (ms <= 0) {
      setDebounced(value);
      return undefined;
    }
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return ms <= 0 ? value : debounced;
}

const MemoryNeeded = ({ placement }: { placement: Placement }) => {
  const { memory, request } = placement.response;
  const total = memory ? gib(memory.totalGiB) : formatMiB(request.memoryMiB);
  return (
    <Box mb={2} data-testid="gpu-pool-memory">
      <Typography variant="subtitle2" component="h3">
        GPU memory needed per replica
      </Typography>
      <Typography variant="body1">
        <strong>{total}</strong>
        {memory && (
          <>
            {' '}
            = {gib(memory.weightsGiB)} weights + {gib(memory.kvCacheGiB)}{' '}
            KV-cache headroom + {gib(memory.runtimeOverheadGiB)} runtime
            overhead
          </>
        )}
        {request.gpusPerReplica > 1 &&
          `, over ${request.gpusPerReplica} GPUs per replica`}
      </Typography>
    </Box>
  );
};

const PolicyFacts = ({ placement }: { placement: Placement }) => {
  const { policy, request } = placement.response;
  const budget =
    policy.monthlyBudgetUsd === null
      ? 'no team budget'
      : `${formatUsd(policy.monthlyBudgetUsd)}/month${
          policy.teamForecastThisMonthUsd === null
            ? ''
            : `, ${formatUsd(
                policy.teamForecastThisMonthUsd,
              )} forecast for this month`
        }`;
  const facts: Array<[string, string]> = [
    ['Team', policy.team ?? 'none (fleet defaults apply)'],
    [
      'Allowed GPU types',
      policy.allowedGpuTypes?.length
        ? policy.allowedGpuTypes.join(', ')
        : 'any',
    ],
    ['Spot capacity', `${policy.spot} (requested: ${request.spot})`],
    ['Team budget', budget],
  ];
  if (request.monthlyBudgetUsd !== undefined) {
    facts.push([
      'Model budget',
      `${formatUsd(request.monthlyBudgetUsd)}/month`,
    ]);
  }
  return (
    <Box mb={2} data-testid="gpu-pool-policy">
      <Typography variant="subtitle2" component="h3">
        Policy in force
      </Typography>
      {facts.map(([label, value]) => (
        <Typography key={label} variant="body2">
          {label}: <strong>{value}</strong>
        </Typography>
      ))}
    </Box>
  );
};

const Caption = ({ children }: { children: ReactNode }) => (
  <Typography variant="caption" color="textSecondary" display="block">
    {children}
  </Typography>
);

const OptionRow = (props: {
  option: PlacementOption;
  recommended: boolean;
  checked: boolean;
  disabled: boolean;
  name: string;
  replicas: { min: number; max: number };
  onPick: (option: PlacementOption) => void;
}) => {
  const { option, recommended, checked, name, replicas, onPick } = props;
  const violated = option.violations.length > 0;
  return (
    <TableRow data-testid="gpu-pool-option" selected={checked}>
      <TableCell padding="checkbox">
        <Radio
          checked={checked}
          disabled={props.disabled || violated}
          onChange={() => onPick(option)}
          value={option.ref}
          name={name}
          inputProps={{ 'aria-label': option.title }}
        />
      </TableCell>
      <TableCell>
        {option.rank}
        {recommended && (
          <Box mt={0.5}>
            <Chip size="small" color="primary" label="Recommended" />
          </Box>
        )}
      </TableCell>
      <TableCell>
        <Typography variant="body2">
          <strong>{option.title}</strong>
        </Typography>
        <Caption>
          {providerRegion(option)}
          {option.instanceType ? `, ${option.instanceType}` : ''}
        </Caption>
        {option.violations.map(v => (
          <Typography
            key={`${v.code}:${v.reason}`}
            variant="caption"
            color="error"
            display="block"
          >
            Not allowed: {v.reason}
          </Typography>
        ))}
      </TableCell>
      <TableCell>
        {option.gpu.product} × {option.gpu.perNode}, {option.capacityType}
        <Caption>
          {formatMiB(option.gpu.memoryMiB)} each,{' '}
          {plural(option.replicasPerNode, 'replica')}/node
        </Caption>
      </TableCell>
      <TableCell align="right">
        {formatUnitUsd(option.usdPerNodeHour)}
        <Caption>
          <span title={option.priceSource}>
            {option.priceSource.split(' (')[0]}
          </span>
        </Caption>
      </TableCell>
      <TableCell align="right">
        {formatUsd(option.chargedMonthlyUsd)}
        <Caption>
          {plural(Math.max(replicas.min, 1), 'replica')};{' '}
          {formatUsd(option.chargedMonthlyUsdAtMax)} at {replicas.max}
        </Caption>
      </TableCell>
      <TableCell align="right">
        {formatUsd(option.monthlyUsd)}
        <Caption>
          {formatUsd(option.monthlyUsdAtMax)} at {replicas.max}
        </Caption>
      </TableCell>
      <TableCell>
        {plural(option.capacity.freeUnits, 'free GPU')},{' '}
        {plural(option.capacity.addableNodes, 'addable node')}
        <Caption>{option.capacity.source}</Caption>
      </TableCell>
    </TableRow>
  );
};

const ExcludedPools = ({ excluded }: { excluded: PlacementExclusion[] }) => {
  if (excluded.length === 0) return null;
  return (
    <Accordion variant="outlined">
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="gpu-pool-excluded-content"
        id="gpu-pool-excluded-header"
      >
        <Typography variant="subtitle2" component="h3">
          Pools that do not fit ({excluded.length})
        </Typography>
      </AccordionSummary>
      <AccordionDetails id="gpu-pool-excluded-content">
        <Box component="ul" m={0} pl={2}>
          {excluded.map(pool => (
            <li key={pool.ref} data-testid="gpu-pool-excluded">
              <Typography variant="body2">
                <strong>{pool.title}</strong> ({pool.cluster},{' '}
                {providerRegion(pool)}, {pool.gpu.product} × {pool.gpu.perNode},{' '}
                {pool.capacityType}): {pool.reason}
              </Typography>
            </li>
          ))}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};

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
    const next: GpuPoolPickerValue = {
      pool,
      monthlyUsd: option?.monthlyUsd,
      blocking: blockingFor(placement, pool),
      ...(option?.gpu.sharing ? { sharing: option.gpu.sharing } : {}),
    };
    if (!sameValue(formData, next)) onChange(next);
  }, [placement, picked, formData, onChange]);

  const pick = (option: PlacementOption) => {
    if (option.violations.length > 0) return;
    onChange({
      pool: option.ref,
      monthlyUsd: option.monthlyUsd,
      blocking: placement ? blockingFor(placement, option.ref) : [],
      ...(option.gpu.sharing ? { sharing: option.gpu.sharing } : {}),
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
          Ranked by what each pool adds to the cloud bill a month at{' '}
          {plural(Math.max(replicas.min, 1), 'replica')} (GPUs free on running
          nodes are paid for already), then by what showback charges your team;{' '}
          {response.hoursPerMonth ?? 730} hours a month,{' '}
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
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox" />
                  <TableCell>Rank</TableCell>
                  <TableCell>Pool</TableCell>
                  <TableCell>GPU × per node</TableCell>
                  <TableCell align="right">$/node-hour</TableCell>
                  <TableCell align="right">Charged a month</TableCell>
                  <TableCell align="right">Adds to the bill</TableCell>
                  <TableCell>Capacity left</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {response.options.map(option => (
                  <OptionRow
                    key={option.ref}
                    option={option}
                    recommended={option.ref === response.recommended}
                    checked={option.ref === formData?.pool}
                    disabled={Boolean(disabled || readonly)}
                    name={radioName}
                    replicas={replicas}
                    onPick={pick}
                  />
                ))}
              </TableBody>
            </Table>
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
