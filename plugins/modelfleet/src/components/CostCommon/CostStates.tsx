import {
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

function statusOf(error: Error): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function backendMessage(error: Error): string {
  const body = (error as { body?: { error?: { message?: unknown } } }).body;
  const message = body?.error?.message;
  return typeof message === 'string' ? message : error.message;
}

/**
 * A failed cost or utilization read: a warning for a denied permission
 * (403) or an entity ModelFleet does not know (404), the full response error
 * panel for anything else.
 */
export const CostErrorPanel = (props: { error: Error; subject: string }) => {
  const { error, subject } = props;
  const status = statusOf(error);
  if (status === 403) {
    return (
      <WarningPanel
        severity="warning"
        title={`You are not allowed to read the cost of ${subject}`}
        message={`The permission modelfleet.cost.read was denied: ${backendMessage(
          error,
        )}`}
      />
    );
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
 * error panel on failure, the content once the value is there.
 */
export function AsyncBody<T>(props: {
  loading: boolean;
  error?: Error;
  value?: T;
  subject: string;
  children: (value: T) => ReactNode;
}): JSX.Element {
  if (props.error) {
    return <CostErrorPanel error={props.error} subject={props.subject} />;
  }
  if (props.loading || props.value === undefined) return <Progress />;
  return <>{props.children(props.value)}</>;
}
