import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { FleetStatusResponse } from '@modelfleet/plugin-modelfleet-common';
import { ReactNode } from 'react';
import { BackendCard, ConnectorsCard, LoopsCard } from './BackendStatus';

/**
 * How the ModelFleet backend itself is doing (its database and migrations,
 * its connectors, its background loops), in a panel closed at first: what
 * platform engineers look at when something is off, not what the Fleet page
 * is for. Closed, nothing of it is on the page.
 */
export const BackendDetails = (props: {
  status: FleetStatusResponse;
  /** When the status was read, as the page shows dates. */
  readAt: ReactNode;
}) => {
  const { status } = props;
  return (
    <Accordion
      TransitionProps={{ unmountOnExit: true }}
      data-testid="modelfleet-backend-details"
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="modelfleet-backend-details-content"
        id="modelfleet-backend-details-summary"
      >
        <div>
          <Typography variant="h6" component="h2">
            Backend details
          </Typography>
          <Typography variant="body2" color="textSecondary">
            For platform engineers: the database, connectors and background
            loops of the ModelFleet backend
          </Typography>
        </div>
      </AccordionSummary>
      <AccordionDetails id="modelfleet-backend-details-content">
        <Grid container spacing={3}>
          <Grid item xs={12} md={6} data-testid="modelfleet-backend-card">
            <BackendCard database={status.database} />
          </Grid>
          <Grid item xs={12} md={6} data-testid="modelfleet-connectors-card">
            <ConnectorsCard connectors={status.connectors} />
          </Grid>
          <Grid item xs={12} data-testid="modelfleet-loops-card">
            <LoopsCard tasks={status.tasks} />
          </Grid>
          <Grid item xs={12}>
            <Typography
              variant="caption"
              color="textSecondary"
              data-testid="modelfleet-status-read-at"
            >
              Status read at {props.readAt}
            </Typography>
          </Grid>
        </Grid>
      </AccordionDetails>
    </Accordion>
  );
};
