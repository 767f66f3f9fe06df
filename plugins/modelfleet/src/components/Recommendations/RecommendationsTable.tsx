import { usePermission } from '@backstage/plugin-permission-react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  formatDate,
  formatUsd,
  modelfleetRecommendationApplyPermission,
  Recommendation,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { ScrollX } from '../CostCommon';
import {
  confidenceLabel,
  disruptionLabel,
  hiddenText,
  SNOOZE_CHOICES,
  snoozeLabel,
  subjectRefOf,
} from './format';
import { RefText } from './RefText';
import { RecommendationVerb } from './useRecommendations';

const FIGURE = { whiteSpace: 'nowrap' } as const;
const BUTTON = { whiteSpace: 'nowrap' } as const;

type Act = (r: Recommendation, verb: RecommendationVerb, days?: number) => void;

const VerbButton = (props: {
  r: Recommendation;
  verb: RecommendationVerb;
  label: string;
  doing: string;
  busy?: string;
  primary?: boolean;
  title?: string;
  onAct: Act;
}) => (
  <Button
    size="small"
    variant={props.primary ? 'contained' : 'outlined'}
    color={props.primary ? 'primary' : 'default'}
    disabled={!!props.busy}
    style={BUTTON}
    title={props.title}
    onClick={() => props.onAct(props.r, props.verb)}
  >
    {props.busy === `${props.verb}:${props.r.id}` ? props.doing : props.label}
  </Button>
);

/** Snooze, with a menu of how long: 1, 7 or 30 days. */
const SnoozeButton = (props: {
  r: Recommendation;
  busy?: string;
  onAct: Act;
}) => {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { r, busy } = props;
  const menuId = `modelfleet-snooze-${r.id}`;
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        disabled={!!busy}
        style={BUTTON}
        aria-haspopup="menu"
        aria-controls={anchor ? menuId : undefined}
        aria-expanded={!!anchor}
        title="Hide it for a while"
        onClick={e => setAnchor(e.currentTarget)}
      >
        {busy === `snooze:${r.id}` ? 'Snoozing…' : 'Snooze'}
      </Button>
      <Menu
        id={menuId}
        anchorEl={anchor}
        keepMounted={false}
        open={!!anchor}
        onClose={() => setAnchor(null)}
      >
        {SNOOZE_CHOICES.map(days => (
          <MenuItem
            key={days}
            onClick={() => {
              setAnchor(null);
              props.onAct(r, 'snooze', days);
            }}
          >
            {snoozeLabel(days)}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
};

/** Apply, for whoever may apply recommendations to the subject. */
const ApplyButton = (props: {
  r: Recommendation;
  subject: string;
  busy?: string;
  onAct: Act;
}) => {
  const { allowed } = usePermission({
    permission: modelfleetRecommendationApplyPermission,
    resourceRef: props.subject,
  });
  if (!allowed) return null;
  return (
    <VerbButton
      r={props.r}
      verb="apply"
      label="Apply"
      doing="Applying…"
      busy={props.busy}
      primary
      onAct={props.onAct}
    />
  );
};

/**
 * The evidence in sentences, what applying disrupts, why the figures are
 * as sure as they are, and why Apply is not offered, behind a Why? toggle.
 */
const Evidence = (props: { r: Recommendation }) => {
  const [expanded, setExpanded] = useState(false);
  const { r } = props;
  const { evidence } = r;
  const isOpen = r.state === 'open';
  return (
    <>
      <Button
        size="small"
        aria-expanded={expanded}
        onClick={() => setExpanded(!expanded)}
        style={{ padding: 0, minWidth: 0, textTransform: 'none' }}
        color="primary"
      >
        {expanded ? 'Hide the evidence' : `Why? (${evidence.length})`}
      </Button>
      {expanded && (
        <Box mt={0.5} data-testid="modelfleet-recommendation-details">
          <ul
            style={{ margin: 0, paddingLeft: 20 }}
            data-testid="modelfleet-recommendation-evidence"
          >
            {evidence.map((sentence, i) => (
              <li key={i}>
                <Typography variant="body2">
                  <RefText text={sentence} />
                </Typography>
              </li>
            ))}
          </ul>
          <Typography variant="body2" color="textSecondary">
            Disruption: <RefText text={r.disruption.description} />. Confidence:{' '}
            <RefText text={r.confidence.reason} />.
          </Typography>
          {isOpen && !r.applicable.allowed && r.applicable.reason && (
            <Typography
              variant="body2"
              color="textSecondary"
              data-testid="modelfleet-recommendation-not-applicable"
            >
              Apply by hand: <RefText text={r.applicable.reason} />
            </Typography>
          )}
        </Box>
      )}
    </>
  );
};

/** Where a row names its subject: in a column of its own, or above what to do. */
export type SubjectPlacement = 'column' | 'inline';

const Row = (props: {
  r: Recommendation;
  subject?: SubjectPlacement;
  busy?: string;
  onAct: Act;
}) => {
  const { r, busy, onAct } = props;
  const subject = subjectRefOf(r);
  const open = r.state === 'open';
  return (
    <TableRow data-testid="modelfleet-recommendation" data-id={r.id}>
      {props.subject === 'column' && (
        <TableCell style={{ minWidth: 120 }}>
          {subject ? <EntityRefLink entityRef={subject} /> : '—'}
        </TableCell>
      )}
      <TableCell style={{ minWidth: 200 }}>
        {props.subject === 'inline' && subject && (
          <Typography variant="caption" component="div">
            <EntityRefLink entityRef={subject} />
          </Typography>
        )}
        <Typography variant="body2">
          <RefText text={r.title} />
        </Typography>
        <Evidence r={r} />
      </TableCell>
      <TableCell align="right" style={FIGURE}>
        {formatUsd(r.monthlySavingUsd)}
      </TableCell>
      <TableCell style={FIGURE} title={r.disruption.description}>
        {disruptionLabel(r)}
      </TableCell>
      <TableCell style={FIGURE} title={r.confidence.reason}>
        {confidenceLabel(r)}
      </TableCell>
      <TableCell>
        {!open && (
          <Typography variant="body2" gutterBottom>
            {hiddenText(r, formatDate)}
          </Typography>
        )}
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {open && r.applicable.allowed && subject && (
            <ApplyButton r={r} subject={subject} busy={busy} onAct={onAct} />
          )}
          {open && (
            <>
              <VerbButton
                r={r}
                verb="dismiss"
                label="Dismiss"
                doing="Dismissing…"
                busy={busy}
                onAct={onAct}
              />
              <SnoozeButton r={r} busy={busy} onAct={onAct} />
            </>
          )}
          {!open && (
            <VerbButton
              r={r}
              verb="restore"
              label="Restore"
              doing="Restoring…"
              busy={busy}
              onAct={onAct}
            />
          )}
        </Box>
        {open && !r.applicable.allowed && (
          <Typography
            variant="caption"
            color="textSecondary"
            component="p"
            title={r.applicable.reason}
          >
            Apply by hand (see Why?)
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
};

/**
 * Recommendations as a table, in the order given: what to do with its
 * evidence, the saving a month, the disruption, the confidence and the
 * buttons (Apply, Dismiss, Snooze for 1, 7 or 30 days for open ones;
 * Restore for the others),
 * with the subject (model or pool, linked) in a column of its own or
 * above what to do, as `subject` says (none without it).
 */
export const RecommendationsTable = (props: {
  items: Recommendation[];
  subject?: SubjectPlacement;
  busy?: string;
  onAct: Act;
  label: string;
}) => (
  <ScrollX>
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {props.subject === 'column' && <TableCell>Subject</TableCell>}
          <TableCell>Recommendation</TableCell>
          <TableCell align="right" style={FIGURE}>
            Saving a month
          </TableCell>
          <TableCell style={FIGURE}>Disruption</TableCell>
          <TableCell style={FIGURE}>Confidence</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(r => (
          <Row
            key={r.id}
            r={r}
            subject={props.subject}
            busy={props.busy}
            onAct={props.onAct}
          />
        ))}
      </TableBody>
    </Table>
  </ScrollX>
);
