import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { CostOwner, CostsNotYours } from '../Access';
import { CardBody, cardStateOf } from './cardState';

/** The HTTP status of a failed read, when it has one. */
export function statusOf(error: Error): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function backendMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : error.message;
}

/**
 * A failed cost or utilization read: for a denied permission (403) the plain
 * "these costs are not yours" message (the caller is not in the owning team,
 * nothing is broken), a note for an entity ModelFleet does not know (404),
 * the full response error panel for anything else.
 */
export const CostErrorPanel = (
  props: { error: Error; subject: string } & CostOwner,
) => {
  const { error, subject, owner, fleet } = props;
  const status = statusOf(error);
  if (status === 403) {
    return <CostsNotYours owner={owner} fleet={fleet} />;
  }
  if (status === 404) {
    return (
      <WarningPanel
        severity="info"
        title={`ModelFleet has no record of ${subject}`}
        message={`${backendMessage(
          error,
        )}. The backend learns about models, GPU pools and teams from the catalog and the connected clusters; a new entity shows up after the next sync.`}
      />
    );
  }
  return <ResponseErrorPanel error={error} />;
};

/** "No cost data yet", with the reason. */
export const NoData = (props: { title?: string; children: ReactNode }) => (
  <div data-testid="modelfleet-no-data">
    <Typography variant="h6" component="p">
      {props.title ?? 'No cost data yet'}
    </Typography>
    <Typography variant="body2" color="textSecondary">
      {props.children}
    </Typography>
  </div>
);

/**
 * The body of a card that reads something: progress while loading, the
 * error panel on failure, the content once the value is there, marked with
 * which of the three it shows ({@link CardBody}).
 */
export function AsyncBody<T>(
  props: {
    loading: boolean;
    error?: Error;
    value?: T;
    subject: string;
    children: (value: T) => ReactNode;
  } & CostOwner,
): JSX.Element {
  const state = cardStateOf(props);
  let body: ReactNode;
  if (props.error) {
    body = (
      <CostErrorPanel
        error={props.error}
        subject={props.subject}
        owner={props.owner}
        fleet={props.fleet}
      />
    );
  } else if (props.loading || props.value === undefined) {
    body = <Progress />;
  } else {
    body = props.children(props.value);
  }
  return <CardBody state={state}>{body}</CardBody>;
}
