import { TableColumn } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  COST_IDEAS,
  CostBreakdownItem,
  CostTotals,
  CostUnallocated,
  CostUnallocatedPool,
} from '@modelfleet/plugin-modelfleet-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Figure } from './Figures';
import { poolLabelOf } from './entityRefs';
import { formatShare, formatUsd } from './format';

/** One of the two ideas of idle GPU cost. */
export type IdleIdea = keyof typeof COST_IDEAS;

/**
 * The name of an idea of idle cost, with its one-sentence definition
 * (from `-common`) as a tooltip, so every card says the same thing.
 */
export const IdeaLabel = (props: { idea: IdleIdea; suffix?: string }) => {
  const { name, definition } = COST_IDEAS[props.idea];
  return (
    <Tooltip title={definition}>
      <span
        data-idea={props.idea}
        aria-label={`${name}${props.suffix ?? ''}: ${definition}`}
        style={{ borderBottom: '1px dotted', cursor: 'help' }}
      >
        {name}
        {props.suffix}
      </span>
    </Tooltip>
  );
};

/**
 * The two figures of idle cost of a report's totals, labelled and defined
 * the same on every card: unallocated capacity (with its share of the
 * cost) and allocated but unused. `testId` prefixes their test ids
 * (`<prefix>-unallocated`, `<prefix>-unused`).
 */
export const IdleFigures = (props: {
  total: Pick<CostTotals, 'costUsd' | 'idleUsd' | 'unusedUsd'>;
  testId: string;
  /** What `costUsd` is, e.g. `the pool cost`. */
  of: string;
  /** What the unallocated figure is for this entity, under the label. */
  unallocatedDetail?: string;
}) => {
  const { total } = props;
  const share = (v: number) =>
    total.costUsd > 0 ? `${formatShare(v / total.costUsd)} of ${props.of}` : '';
  const join = (...parts: Array<string | undefined>) =>
    parts.filter(Boolean).join('; ') || undefined;
  return (
    <>
      <Figure
        label={<IdeaLabel idea="unallocated" />}
        value={formatUsd(total.idleUsd)}
        testId={`${props.testId}-unallocated`}
        detail={join(props.unallocatedDetail, share(total.idleUsd))}
      />
      <Figure
        label={<IdeaLabel idea="unused" />}
        value={formatUsd(total.unusedUsd)}
        testId={`${props.testId}-unused`}
        detail={join(share(total.unusedUsd))}
      />
    </>
  );
};

/** A number is never broken across lines. */
export const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** Table columns of the two ideas of idle cost, titled and defined once. */
export function idleColumns<
  T extends Pick<CostBreakdownItem, 'idleUsd' | 'unusedUsd'>,
>(): TableColumn<T>[] {
  return [
    {
      title: COST_IDEAS.unallocated.name,
      tooltip: COST_IDEAS.unallocated.definition,
      field: 'idleUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      render: i => formatUsd(i.idleUsd),
    },
    {
      title: COST_IDEAS.unused.name,
      tooltip: COST_IDEAS.unused.definition,
      field: 'unusedUsd',
      type: 'numeric',
      cellStyle: NO_WRAP,
      render: i => formatUsd(i.unusedUsd),
    },
  ];
}

/** A row of a cost table: an entity, the Unallocated row or the total. */
export type CostTableRow = CostBreakdownItem & {
  row?: 'unallocated' | 'total';
};

/** Whether an Unallocated figure is worth a row (half a cent or more). */
export const hasUnallocated = (u: CostUnallocated | undefined) =>
  u !== undefined &&
  [u.costUsd, u.idleUsd, u.unusedUsd].some(v => Math.abs(v) >= 0.005);

/**
 * The rows of a table that sums entities, with the Unallocated row and a
 * Total row after them, so the rows always add up to the total.
 */
export function rowsWithUnallocated(
  items: CostBreakdownItem[],
  unallocated: CostUnallocated | undefined,
  total: Pick<
    CostTotals,
    'costUsd' | 'idleUsd' | 'unusedUsd' | 'gpuHours' | 'savedUsd'
  > &
    Partial<Pick<CostTotals, 'savedGpuHours'>>,
): CostTableRow[] {
  if (!unallocated) return items;
  const rest = (f: 'gpuHours' | 'savedUsd' | 'savedGpuHours') =>
    Math.max(0, (total[f] ?? 0) - items.reduce((s, i) => s + i[f], 0));
  return [
    ...items,
    {
      row: 'unallocated',
      entityRef: '',
      costUsd: unallocated.costUsd,
      idleUsd: unallocated.idleUsd,
      unusedUsd: unallocated.unusedUsd,
      gpuHours: rest('gpuHours'),
      savedGpuHours: rest('savedGpuHours'),
      savedUsd: rest('savedUsd'),
    },
    {
      row: 'total',
      entityRef: '',
      costUsd: total.costUsd,
      idleUsd: total.idleUsd,
      unusedUsd: total.unusedUsd,
      gpuHours: total.gpuHours,
      savedGpuHours: total.savedGpuHours ?? 0,
      savedUsd: total.savedUsd,
    },
  ];
}

/** The first cell of an Unallocated or Total row. */
export const SummaryRowLabel = (props: {
  row: 'unallocated' | 'total';
  paidBy?: string;
}) =>
  props.row === 'total' ? (
    <strong data-testid="modelfleet-total-row">Total</strong>
  ) : (
    <Tooltip title={props.paidBy ?? ''}>
      <span
        data-testid="modelfleet-unallocated-row"
        style={{ borderBottom: '1px dotted', cursor: 'help' }}
      >
        Unallocated
      </span>
    </Tooltip>
  );

/** How many pools the Unallocated note names before "and N more". */
const POOLS_NAMED = 5;

/** The pools whose capacity nobody used, each linked, with its amount. */
const UnallocatedPools = (props: { pools: CostUnallocatedPool[] }) => {
  const named = props.pools.slice(0, POOLS_NAMED);
  const rest = props.pools.slice(POOLS_NAMED);
  const restUsd = rest.reduce((s, p) => s + p.idleUsd, 0);
  return (
    <span data-testid="modelfleet-unallocated-pools">
      {' '}
      Capacity no model used:{' '}
      {named.map((p, i) => (
        <span key={p.entityRef}>
          {i > 0 && '; '}
          <EntityRefLink entityRef={p.entityRef} defaultKind="gpupool" hideIcon>
            {poolLabelOf(p.entityRef)}
          </EntityRefLink>
          : <span style={NO_WRAP}>{formatUsd(p.idleUsd)}</span>
        </span>
      ))}
      {rest.length > 0 &&
        `; and ${rest.length} more pool${
          rest.length > 1 ? 's' : ''
        }: ${formatUsd(restUsd)}`}
      .
    </span>
  );
};

/**
 * Under a table with an Unallocated row: who pays it, in a sentence, and
 * the pools whose capacity nobody used that it holds.
 */
export const UnallocatedNote = (props: { unallocated: CostUnallocated }) => (
  <Typography
    variant="caption"
    color="textSecondary"
    component="p"
    data-testid="modelfleet-unallocated-paid-by"
    style={{ padding: '8px 16px 0' }}
  >
    <strong>Unallocated</strong> is the cost no row above is charged (
    {formatUsd(props.unallocated.costUsd)}). {props.unallocated.paidBy}
    {props.unallocated.pools && props.unallocated.pools.length > 0 && (
      <UnallocatedPools pools={props.unallocated.pools} />
    )}
  </Typography>
);
