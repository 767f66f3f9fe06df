import { Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { SavingsLedgerResponse } from '@modelfleet/plugin-modelfleet-common';
import { CostsNotYours } from '../Access';
import { CardBody, cardStateOf, statusOf } from '../CostCommon';
import { errorMessage } from '../EntityModelActivityCard/format';
import { SavingsReport } from './SavingsReport';

/**
 * A savings card's body while it reads the ledger, once it has it, or when
 * the read failed: a 403 says whose costs these are, any other error says
 * in words that the ledger could not be read (and the backend's reason).
 */
export const SavingsBody = (props: {
  loading: boolean;
  error?: Error;
  value?: SavingsLedgerResponse;
  showTeam: boolean;
  owner?: string;
  fleet?: boolean;
}) => {
  const { error, value } = props;
  let body;
  if (error && statusOf(error) === 403) {
    body = <CostsNotYours owner={props.owner} fleet={props.fleet} />;
  } else if (error) {
    body = (
      <Typography
        variant="body2"
        color="error"
        data-testid="modelfleet-savings-error"
      >
        Could not read the savings ledger: {errorMessage(error)}
      </Typography>
    );
  } else if (props.loading || !value) {
    body = <Progress />;
  } else {
    body = <SavingsReport ledger={value} showTeam={props.showTeam} />;
  }
  return <CardBody state={cardStateOf(props)}>{body}</CardBody>;
};
