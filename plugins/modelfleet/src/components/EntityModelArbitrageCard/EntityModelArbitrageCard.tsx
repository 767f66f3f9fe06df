import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  formatUsd,
  ModelArbitrageOption,
  ModelArbitrageReport,
  modelfleetCostReadPermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { CostsNotYours, entityRefOf, ownerRefOf } from '../Access';
import {
  AsyncBody,
  CardBody,
  costRefOf,
  formatShare,
  ScrollX,
} from '../CostCommon';
import { formatHours as hours, moveFigures } from '../FleetMoves/format';
import { MoveDialog } from './MoveDialog';

/** A reason in words as a sentence: capitalised, with its full stop. */
const sentence = (text: string) =>
  `${text.charAt(0).toLocaleUpperCase('en-US')}${text.slice(1)}${
    text.endsWith('.') ? '' : '.'
  }`;

/** Figures stay on one line. */
const FIGURE = { whiteSpace: 'nowrap' } as const;

const MODE_TEXT: Record<ModelArbitrageReport['mode'], string> = {
  off: 'Arbitrage is off in the team’s policy: ModelFleet does not move this model.',
  recommend:
    'The team’s policy recommends moves: a person approves each before it runs.',
  enforce:
    'The team’s policy moves models itself, within its limits and maintenance windows.',
};

/** The best move, or why there is none, with the policy it was held to. */
const Verdict = ({ report }: { report: ModelArbitrageReport }) => {
  const o = report.opportunity;
  const to = o && report.options.find(x => x.pool === o.to);
  return (
    <div style={{ marginBottom: 16 }}>
      {o && to ? (
        <Typography variant="body1" data-testid="arbitrage-opportunity">
          <strong>
            Move to {to.title}: {formatUsd(o.savingUsdPerMonth)} a month less (
            {formatShare(o.savingPercent / 100)})
          </strong>
          ; the move costs {formatUsd(o.moveUsd)} once and pays for itself in{' '}
          {hours(o.paybackHours)}.
        </Typography>
      ) : (
        <Typography variant="body1" data-testid="arbitrage-no-move">
          {sentence(report.reason)}
        </Typography>
      )}
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="arbitrage-policy"
      >
        {MODE_TEXT[report.mode]} A move must save {report.minSavingsPercent}%
        within {hours(report.paybackHorizonHours)} after its own cost, on a pool
        with capacity {formatShare(report.minAvailability)} of the time.
      </Typography>
    </div>
  );
};

const Row = ({
  option,
  onMove,
  sameCluster,
}: {
  option: ModelArbitrageOption;
  /** Offers Move here (a pool it does not run on, a caller who may move it). */
  onMove?: () => void;
  /** On the cluster it runs on: a move there rolls its Deployment over. */
  sameCluster?: boolean;
}) => (
  <TableRow data-testid="arbitrage-option">
    <TableCell style={{ minWidth: 160 }}>
      {option.title}
      {option.current && (
        <Chip size="small" label="now" style={{ marginLeft: 8 }} />
      )}
      <Typography variant="caption" display="block" color="textSecondary">
        {option.provider} {option.region}, {option.capacityType}
      </Typography>
    </TableCell>
    <TableCell align="right" style={FIGURE}>
      {formatUsd(option.monthlyUsd + option.preemptionUsdPerMonth)}
    </TableCell>
    <TableCell align="right">
      {option.preemptionsPerMonth > 0
        ? option.preemptionsPerMonth.toFixed(1)
        : '—'}
    </TableCell>
    <TableCell align="right" style={FIGURE}>
      {formatShare(option.availability)}
    </TableCell>
    <TableCell
      align="right"
      style={FIGURE}
      title={option.move?.what.join('; ')}
    >
      {option.move ? formatUsd(option.move.usd) : '—'}
    </TableCell>
    {onMove && (
      <TableCell align="right" style={FIGURE}>
        {!option.current && (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            onClick={onMove}
            aria-label={`Move here: ${option.title}`}
            title={
              sameCluster
                ? 'A rolling update of its Deployment on its own cluster: the new pods start on this pool, and the old ones end only once new ones are Ready'
                : 'Make-before-break across clusters: it starts there, turns Ready, takes the traffic, and only then stops here'
            }
          >
            Move here
          </Button>
        )}
      </TableCell>
    )}
  </TableRow>
);

/** The what-if: each pool it may run on, cheapest first, and those it may not. */
export const ModelArbitrageReportView = ({
  report,
  onMove,
}: {
  report: ModelArbitrageReport;
  /** Offers Move here on each pool it does not run on. */
  onMove?: (option: ModelArbitrageOption) => void;
}) => {
  if (report.missing) {
    return (
      <Typography variant="body2" data-testid="arbitrage-missing">
        Nothing to compare: {report.missing}.
      </Typography>
    );
  }
  const hereCluster = report.options.find(o => o.current)?.cluster;
  // What each spot pool's risk comes from: its own history, the prior.
  const spotRisks = report.options.filter(o => o.capacityType === 'spot');
  return (
    <>
      <Verdict report={report} />
      <Typography variant="body2" gutterBottom>
        {report.replicas} replica{report.replicas === 1 ? '' : 's'} of{' '}
        {report.gpusPerReplica} GPU, a month
        {report.currentMonthlyUsd !== undefined
          ? ` (${formatUsd(report.currentMonthlyUsd)} where it runs now)`
          : ''}
        , each pool’s share of its node price as showback charges it, with
        replacing preempted replicas:
      </Typography>
      <ScrollX>
        <Table size="small" aria-label="Where it could run">
          <TableHead>
            <TableRow>
              <TableCell>Pool</TableCell>
              <TableCell align="right">A month</TableCell>
              <TableCell align="right">
                <span style={{ whiteSpace: 'nowrap' }}>Preemptions</span> a
                month
              </TableCell>
              <TableCell align="right">Capacity available</TableCell>
              <TableCell align="right">Move, once</TableCell>
              {onMove && (
                <TableCell>
                  <Typography variant="srOnly">Move</Typography>
                </TableCell>
              )}
            </TableRow>
          </TableHead>
          <TableBody>
            {report.options.map(o => (
              <Row
                key={o.pool}
                option={o}
                onMove={onMove && (() => onMove(o))}
                sameCluster={o.cluster === hereCluster}
              />
            ))}
          </TableBody>
        </Table>
      </ScrollX>
      {spotRisks.length > 0 && (
        <div data-testid="arbitrage-spot-risk">
          <Typography variant="caption" color="textSecondary" component="p">
            Spot risk, each pool:
          </Typography>
          {spotRisks.map(o => (
            <Typography
              key={o.pool}
              variant="caption"
              color="textSecondary"
              component="p"
            >
              {o.title}: {o.riskSource}.
            </Typography>
          ))}
        </div>
      )}
      {report.excluded.length > 0 && (
        <div style={{ marginTop: 12 }} data-testid="arbitrage-excluded">
          <Typography variant="body2">Pools it may not run on:</Typography>
          {report.excluded.map(x => (
            <Typography
              key={x.pool}
              variant="caption"
              display="block"
              color="textSecondary"
            >
              {x.title}: {x.reason}
            </Typography>
          ))}
        </div>
      )}
    </>
  );
};

/**
 * The Model page's what-if before a move: what the model would cost a
 * month on each pool it may run on now (the placement engine's
 * eligibility, the price book), the preemptions and availability to
 * expect there, what moving there costs once (make-before-break, the
 * weights across regions or clouds), and the best move under its team's
 * arbitrage policy, or why there is none. It tells the model's money, so
 * it asks first whether the caller may read its costs. Whoever may apply
 * recommendations to the model (`modelfleet.recommendation.apply`) gets a
 * Move here button on each other pool, which confirms the move's figures
 * and asks the backend for it.
 */
export const EntityModelArbitrageCard = () => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const ref = costRefOf(entity, 'model');
  const owner = ownerRefOf(entity);
  const permission = usePermission({
    permission: modelfleetCostReadPermission,
    resourceRef: entityRefOf(ref),
  });
  const { allowed } = permission;
  const move = usePermission({
    permission: modelfleetRecommendationApplyPermission,
    resourceRef: entityRefOf(ref),
  });
  // A 403 on a move (the answer raced a policy change) hides the buttons.
  const [denied, setDenied] = useState(false);
  const mayMove = move.allowed && !denied;
  const [moving, setMoving] = useState<{
    report: ModelArbitrageReport;
    option: ModelArbitrageOption;
  }>();
  const loaded = useAsync(
    async () =>
      allowed
        ? api.getModelArbitrage({ namespace: ref.namespace, name: ref.name })
        : undefined,
    [api, ref.namespace, ref.name, allowed],
  );
  let body;
  if (allowed) {
    body = (
      <AsyncBody
        loading={loaded.loading}
        error={loaded.error}
        value={loaded.value}
        subject="where the model could run"
        owner={owner}
      >
        {report => (
          <ModelArbitrageReportView
            report={report}
            onMove={
              mayMove ? option => setMoving({ report, option }) : undefined
            }
          />
        )}
      </AsyncBody>
    );
  } else if (permission.loading) {
    body = (
      <CardBody state="loading">
        <Progress />
      </CardBody>
    );
  } else {
    body = (
      <CardBody state="ready">
        <CostsNotYours owner={owner} />
      </CardBody>
    );
  }
  return (
    <div data-testid="modelfleet-arbitrage-card">
      <InfoCard title="Where it could run">{body}</InfoCard>
      {moving && (
        <MoveDialog
          model={{ namespace: ref.namespace, name: ref.name }}
          pool={moving.option.pool}
          figures={moveFigures(moving.report, moving.option)}
          onClose={() => setMoving(undefined)}
          onDenied={() => setDenied(true)}
        />
      )}
    </div>
  );
};
