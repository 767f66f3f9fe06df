/** The GPU pools that do not fit the model, with why, in a collapsed accordion. */
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import type { PlacementExclusion } from '@modelfleet/plugin-modelfleet-common';
import { providerRegion } from './text';

export const ExcludedPools = ({
  excluded,
}: {
  excluded: PlacementExclusion[];
}) => {
  if (excluded.length === 0) return null;
  return (
    <Accordion variant="outlined">
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="gpu-pool-excluded-content"
        id="gpu-pool-excluded-header"
      >
        <Typography variant="subtitle2" component="h3">
          Pools that do not fit ({excluded.length})
        </Typography>
      </AccordionSummary>
      <AccordionDetails id="gpu-pool-excluded-content">
        <Box component="ul" m={0} pl={2}>
          {excluded.map(pool => (
            <li key={pool.ref} data-testid="gpu-pool-excluded">
              <Typography variant="body2">
                <strong>{pool.title}</strong> ({pool.cluster},{' '}
                {providerRegion(pool)}, {pool.gpu.product} × {pool.gpu.perNode},{' '}
                {pool.capacityType}): {pool.reason}
              </Typography>
            </li>
          ))}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};
