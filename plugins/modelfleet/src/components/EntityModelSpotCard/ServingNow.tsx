import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Alert } from '@material-ui/lab';
import {
  FallbackDetails,
  formatUsd,
  ModelArbitrageReport,
  ModelFleetAction,
  ModelServing,
} from '@modelfleet/plugin-modelfleet-common';
import { RelativeTime } from '../EntityModelActivityCard/ActionParts';
import {
  fallbackPrices,
  replicasText,
  standInPremium,
} from '../FleetMoves/fallbackFormat';
import { onSpot, poolText, readyText, servingStatus } from './format';
import { ScrollX } from '../CostCommon';

const FIGURE = { whiteSpace: 'nowrap' } as const;

const CAPACITY: Record<string, string> = {
  spot: 'Spot',
  'on-demand': 'On-demand',
  reserved: 'Reserved',
};

/** The replicas now: on spot (or where it runs), under notice, waiting, the stand-in. */
const Mix = ({ serving }: { serving: ModelServing }) => {
  const { primary, standIn, spread = [] } = serving;
  const spot = onSpot(serving);
  const capacity = primary.capacityType
    ? CAPACITY[primary.capacityType] ?? primary.capacityType
    : 'Own Deployment';
  return (
    <ScrollX>
      <Table size="small" aria-label="Serving now">
        <TableHead>
          <TableRow>
            <TableCell>Serving</TableCell>
            <TableCell align="right">Replicas</TableCell>
            <TableCell>Where or since</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow data-testid="modelfleet-spot-primary">
            <TableCell>
              {capacity}
              <Typography
                variant="caption"
                display="block"
                color="textSecondary"
              >
                {primary.name}
              </Typography>
            </TableCell>
            <TableCell align="right" style={FIGURE}>
              {readyText(primary)}
            </TableCell>
            <TableCell>{poolText(primary)}</TableCell>
          </TableRow>
          {spot && (
            <TableRow data-testid="modelfleet-spot-notice">
              <TableCell>Under a reclaim notice</TableCell>
              <TableCell align="right" style={FIGURE}>
                {replicasText(primary.underNotice)}
              </TableCell>
              <TableCell>
                {primary.underNotice > 0 && primary.noticedAt ? (
                  <>
                    notice <RelativeTime iso={primary.noticedAt} />
                  </>
                ) : (
                  '—'
                )}
              </TableCell>
            </TableRow>
          )}
          {spot && (
            <TableRow data-testid="modelfleet-spot-waiting">
              <TableCell>Waiting for a node</TableCell>
              <TableCell align="right" style={FIGURE}>
                {replicasText(primary.waitingForNode)}
              </TableCell>
              <TableCell>
                {primary.waitingForNode > 0 && primary.waitingSince ? (
                  <>
                    since <RelativeTime iso={primary.waitingSince} />
                  </>
                ) : (
                  '—'
                )}
              </TableCell>
            </TableRow>
          )}
          {spread.map(c => (
            <TableRow key={c.name} data-testid="modelfleet-spot-companion">
              <TableCell>
                Spot, another pool
                <Typography
                  variant="caption"
                  display="block"
                  color="textSecondary"
                >
                  {c.name}
                </Typography>
              </TableCell>
              <TableCell align="right" style={FIGURE}>
                {readyText(c)}
              </TableCell>
              <TableCell>{poolText(c)}</TableCell>
            </TableRow>
          ))}
          {(spot || standIn) && (
            <TableRow data-testid="modelfleet-spot-standin">
              <TableCell>
                On-demand stand-in
                {standIn && (
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {standIn.name}
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right" style={FIGURE}>
                {standIn ? readyText(standIn) : 'none'}
              </TableCell>
              <TableCell>
                {standIn
                  ? poolText(standIn)
                  : 'created on an on-demand pool of the cluster when spot fails'}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </ScrollX>
  );
};

/** What a stand-in replica costs against a spot one, as the newest fallback was decided on. */
const Prices = ({
  details: d,
  at,
}: {
  details: FallbackDetails;
  at: string;
}) => {
  const premium = standInPremium(d);
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      style={{ marginTop: 8 }}
      data-testid="modelfleet-spot-price"
    >
      Hourly cost: {fallbackPrices(d)}
      {premium > 0
        ? ` (${formatUsd(premium)} per replica-hour more while it serves)`
        : ''}
      , at the prices of the change <RelativeTime iso={at} />.
    </Typography>
  );
};

/**
 * The model's serving mix now, in one sentence and replica by replica,
 * and what the stand-in costs against spot (from the newest fallback).
 */
export const ServingNow = (props: {
  report: ModelArbitrageReport;
  /** The model's spot fallbacks, newest first, when the caller may see them. */
  fallbacks?: ModelFleetAction[];
}) => {
  const { report, fallbacks = [] } = props;
  const { serving } = report;
  const status = servingStatus(serving, {
    missing: report.missing,
    pending: fallbacks.some(
      a =>
        a.state === 'planned' &&
        a.dryRun &&
        a.fallback?.direction === 'fallback',
    ),
  });
  const priced = fallbacks.find(a => a.fallback);
  const details = priced?.fallback;
  return (
    <>
      <Alert
        severity={status.tone}
        data-testid="modelfleet-spot-status"
        style={{ marginBottom: 12 }}
      >
        {status.text}
      </Alert>
      {serving && <Mix serving={serving} />}
      {priced && details && <Prices details={details} at={priced.createdAt} />}
    </>
  );
};
