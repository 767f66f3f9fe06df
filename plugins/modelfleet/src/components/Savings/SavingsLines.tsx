import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  formatDate,
  formatUsd,
  SavingsLedgerLine,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { ScrollX } from '../CostCommon';
import { RefText } from '../Recommendations/RefText';
import { daysInclusive, formatDays, kindLabel } from './format';

const FIGURE = { whiteSpace: 'nowrap' } as const;

/** How many lines show before "Show all". */
export const LINES_SHOWN = 10;

const Line = (props: { line: SavingsLedgerLine; showTeam: boolean }) => {
  const { line } = props;
  const days = daysInclusive(line.firstDay, line.lastDay);
  return (
    <TableRow data-testid="modelfleet-savings-line">
      <TableCell style={{ minWidth: 120, paddingRight: 8 }}>
        <Typography variant="body2">
          <RefText text={line.summary} />
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {kindLabel(line.kind)}
        </Typography>
      </TableCell>
      <TableCell style={{ minWidth: 90, paddingRight: 8 }}>
        <EntityRefLink entityRef={line.entityRef} defaultKind="model" />
      </TableCell>
      {props.showTeam && (
        <TableCell style={{ minWidth: 80, paddingRight: 8 }}>
          {line.teamRef ? (
            <EntityRefLink entityRef={line.teamRef} defaultKind="group" />
          ) : (
            '—'
          )}
        </TableCell>
      )}
      <TableCell style={{ ...FIGURE, paddingRight: 8 }}>
        {line.appliedAt ? (
          <time dateTime={line.appliedAt}>{formatDate(line.appliedAt)}</time>
        ) : (
          '—'
        )}
        <Typography
          variant="caption"
          component="div"
          color="textSecondary"
          title={formatDays(line.firstDay, line.lastDay)}
          data-testid="modelfleet-savings-line-days"
        >
          {days === 1 ? '1 day' : `${days} days`}
        </Typography>
      </TableCell>
      <TableCell align="right" style={{ minWidth: 90, paddingLeft: 8 }}>
        <span style={FIGURE}>{formatUsd(line.savedUsd)}</span>
        <Typography
          variant="caption"
          component="div"
          color="textSecondary"
          title="What it cost, against what it would have cost without it"
        >
          <span style={FIGURE}>{formatUsd(line.afterUsd)}</span> instead of{' '}
          <span style={FIGURE}>{formatUsd(line.beforeUsd)}</span>
        </Typography>
      </TableCell>
    </TableRow>
  );
};

/**
 * The ledger's lines, in the order given (largest saving first): what
 * changed and its kind, the model (linked by its name), its team when
 * `showTeam`, when the action took effect with the days it saved on, and
 * what it saved (with what it cost against what it would have cost). The first
 * {@link LINES_SHOWN} show, the rest behind "Show all".
 */
export const SavingsLines = (props: {
  lines: SavingsLedgerLine[];
  showTeam: boolean;
}) => {
  const [all, setAll] = useState(false);
  const { lines } = props;
  const shown = all ? lines : lines.slice(0, LINES_SHOWN);
  return (
    <>
      <ScrollX>
        <Table size="small" aria-label="Savings by action">
          <TableHead>
            <TableRow>
              <TableCell>What</TableCell>
              <TableCell>Model</TableCell>
              {props.showTeam && <TableCell>Team</TableCell>}
              <TableCell
                style={FIGURE}
                title="When the action took effect, and the days it saved on"
              >
                Applied, days
              </TableCell>
              <TableCell align="right" style={FIGURE}>
                Saved
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map(line => (
              <Line
                key={`${line.source}:${line.actionId ?? ''}:${line.entityRef}:${
                  line.firstDay
                }`}
                line={line}
                showTeam={props.showTeam}
              />
            ))}
          </TableBody>
        </Table>
      </ScrollX>
      {lines.length > LINES_SHOWN && (
        <Box mt={1}>
          <Button size="small" color="primary" onClick={() => setAll(!all)}>
            {all ? `Show the first ${LINES_SHOWN}` : `Show all ${lines.length}`}
          </Button>
        </Box>
      )}
    </>
  );
};
