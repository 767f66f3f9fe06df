/** The GPU memory a replica of the model needs, and what it is made of. */
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { formatMiB } from '../CostCommon/format';
import { gib } from './text';
import { Placement } from './value';

export const MemoryNeeded = ({ placement }: { placement: Placement }) => {
  const { memory, request } = placement.response;
  const total = memory ? gib(memory.totalGiB) : formatMiB(request.memoryMiB);
  return (
    <Box mb={2} data-testid="gpu-pool-memory">
      <Typography variant="subtitle2" component="h3">
        GPU memory needed per replica
      </Typography>
      <Typography variant="body1">
        <strong>{total}</strong>
        {memory && (
          <>
            {' '}
            = {gib(memory.weightsGiB)} weights + {gib(memory.kvCacheGiB)}{' '}
            KV-cache headroom + {gib(memory.runtimeOverheadGiB)} runtime
            overhead
          </>
        )}
        {request.gpusPerReplica > 1 &&
          `, over ${request.gpusPerReplica} GPUs per replica`}
      </Typography>
    </Box>
  );
};
