import Typography from '@material-ui/core/Typography';
import {
  CostProvenance,
  IdleCostPolicy,
} from '@modelfleet/plugin-modelfleet-common';
import { formatDateTime } from './format';

const IDLE_POLICY_LABELS: Record<IdleCostPolicy, string> = {
  'not-shared': 'unallocated capacity stays on the pools, charged to no team',
  'shared-proportionally':
    "unallocated capacity shared by the pool's models, by their cost",
  'platform-team': 'unallocated capacity charged to the platform team',
};

/**
 * One line per price or bill source: the latest observation of each source,
 * so a report with hundreds of priced hours stays a short caption.
 */
export function summarizeProvenance(provenance: CostProvenance[]): Array<{
  kind: CostProvenance['kind'];
  source: string;
  latest: string;
  notes: string[];
}> {
  const bySource = new Map<
    string,
    {
      kind: CostProvenance['kind'];
      source: string;
      latest: string;
      notes: string[];
    }
  >();
  for (const p of provenance) {
    const key = `${p.kind}:${p.source}`;
    const seen = bySource.get(key);
    if (!seen) {
      bySource.set(key, {
        kind: p.kind,
        source: p.source,
        latest: p.observedAt,
        notes: p.note ? [p.note] : [],
      });
      continue;
    }
    if (Date.parse(p.observedAt) > Date.parse(seen.latest)) {
      seen.latest = p.observedAt;
    }
    if (p.note && !seen.notes.includes(p.note)) seen.notes.push(p.note);
  }
  return [...bySource.values()].sort((a, b) =>
    `${a.kind}:${a.source}`.localeCompare(`${b.kind}:${b.source}`),
  );
}

/** The sentence that says where a report's figures come from. */
export function provenanceText(
  provenance: CostProvenance[],
  idleCostPolicy?: IdleCostPolicy,
): string {
  const sources = summarizeProvenance(provenance).map(s => {
    const what = s.kind === 'price' ? 'prices from' : 'bills from';
    const when = s.kind === 'price' ? 'observed' : 'period from';
    const note = s.notes.length ? ` (${s.notes.join('; ')})` : '';
    return `${what} ${s.source}, ${when} ${formatDateTime(s.latest)}${note}`;
  });
  const text = sources.length
    ? `Figures from ${sources.join('; ')}.`
    : 'No price or bill source recorded for these figures.';
  return idleCostPolicy
    ? `${text} Idle cost policy: ${IDLE_POLICY_LABELS[idleCostPolicy]}.`
    : text;
}

/** A small caption under a card: the price and bill sources, and when. */
export const ProvenanceCaption = (props: {
  provenance: CostProvenance[];
  idleCostPolicy?: IdleCostPolicy;
}) => (
  <Typography
    variant="caption"
    color="textSecondary"
    component="p"
    data-testid="modelfleet-provenance"
    style={{ marginTop: 8 }}
  >
    {provenanceText(props.provenance, props.idleCostPolicy)}
  </Typography>
);
