import { Alert, AlertTitle } from '@material-ui/lab';

/** Says plainly that what the page shows comes from the simulated demo fleet. */
export const DemoBanner = () => (
  <Alert severity="info" data-testid="modelfleet-demo-banner">
    <AlertTitle>Demo data</AlertTitle>
    The clusters marked <b>demo</b> are ModelFleet&apos;s simulated fleet: real
    instance types and prices, traffic replayed from public traces, no cloud
    account. Production sets <code>modelfleet.demo.enabled: false</code> and
    connects real clusters through <code>kubernetes.clusterLocatorMethods</code>
    .
  </Alert>
);
