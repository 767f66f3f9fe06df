import Typography from '@material-ui/core/Typography';
import { displayRef } from './owner';

/** `data-testid` of the "these costs are not yours" message. */
export const COSTS_NOT_ALLOWED_TESTID = 'modelfleet-costs-not-allowed';

/** `data-testid` of the "you may not act on this model" line. */
export const ACTIONS_NOT_ALLOWED_TESTID = 'modelfleet-actions-not-allowed';

/** Whose costs a card would show: the owning team's ref, or the fleet's. */
export interface CostOwner {
  owner?: string;
  fleet?: boolean;
}

/** Why a card shows no costs: they belong to a team the caller is not in. */
export function costsNotYoursText(options: CostOwner): string {
  if (options.fleet) {
    return "The fleet's costs belong to the teams that own its models. Only their members and the platform team can see them.";
  }
  return options.owner
    ? `These costs belong to ${displayRef(
        options.owner,
      )}. Only its members and the platform team can see them.`
    : 'These costs belong to the team that owns this entity. Only its members and the platform team can see them.';
}

/** The "these costs are not yours" message, plain text in a card body. */
export const CostsNotYours = (props: CostOwner) => (
  <Typography
    variant="body1"
    color="textSecondary"
    data-testid={COSTS_NOT_ALLOWED_TESTID}
  >
    {costsNotYoursText(props)}
  </Typography>
);

/**
 * Why the Model page offers no buttons: `act` is scale, hibernate and
 * wake; `approve` is approving, cancelling and listing actions. Undefined
 * when the caller may do both.
 */
export function actionsNotAllowedText(options: {
  owner?: string;
  mayAct: boolean;
  mayApprove: boolean;
}): string | undefined {
  const { owner, mayAct, mayApprove } = options;
  if (mayAct && mayApprove) return undefined;
  const who = owner
    ? `Only members of ${displayRef(owner)} and the platform team`
    : "Only members of the model's owning team and the platform team";
  if (!mayAct && !mayApprove) {
    return `${who} can scale, hibernate or approve actions on this model.`;
  }
  if (!mayAct) return `${who} can scale, hibernate or wake this model.`;
  return `${who} can see, approve or cancel actions on this model.`;
}

/** The line that says, once, who may act on a model. */
export const ActionsNotAllowed = (props: {
  owner?: string;
  mayAct: boolean;
  mayApprove: boolean;
}) => {
  const text = actionsNotAllowedText(props);
  if (!text) return null;
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid={ACTIONS_NOT_ALLOWED_TESTID}
      gutterBottom
    >
      {text}
    </Typography>
  );
};
