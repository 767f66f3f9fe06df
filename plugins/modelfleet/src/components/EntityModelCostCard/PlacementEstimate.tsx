import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import {
  isModelEntity,
  PlacementOption,
  PlacementRequestBody,
  RELATION_RUNS_ON,
} from '@modelfleet/plugin-modelfleet-common';
import useAsync from 'react-use/esm/useAsync';
import { modelfleetApiRef } from '../../api';
import { Figure, Figures, formatUsd } from '../CostCommon';

/**
 * The placement request of a Model entity as it is declared: its size,
 * runtime, GPUs, replicas and owner, on the pool it runs on when the
 * catalog knows one. Undefined for an entity that is not a Model.
 */
export function placementRequestOf(
  entity: Parameters<typeof isModelEntity>[0],
): PlacementRequestBody | undefined {
  // A Model entity as the catalog validated it: its size and GPUs are set.
  if (!isModelEntity(entity) || !entity.spec.gpu) return undefined;
  const { spec } = entity;
  const min = Math.max(1, spec.replicas?.min ?? 1);
  const pool =
    entity.relations?.find(r => r.type === RELATION_RUNS_ON)?.targetRef ??
    spec.runsOn?.[0];
  return {
    name: entity.metadata.name,
    owner: spec.owner,
    runtime: spec.runtime,
    ...(spec.gpu.memoryGiB !== undefined
      ? { memoryMiB: spec.gpu.memoryGiB * 1024 }
      : {
          parametersBillions: spec.parametersBillions,
          precision: spec.precision,
        }),
    gpusPerReplica: spec.gpu.count,
    replicas: { min, max: Math.max(min, spec.replicas?.max ?? min) },
    ...(spec.gpu.types?.length ? { gpuTypes: spec.gpu.types } : {}),
    ...(pool ? { pool } : {}),
  };
}

/**
 * What the placement estimates a just-deployed model costs a month, shown
 * until its first day of cost is rolled up: what showback will charge the
 * team on its pool (or the recommended one) and what it adds to the bill.
 * Nothing when the entity is not a Model or the placement has no option.
 */
export const PlacementEstimate = () => {
  const { entity } = useEntity();
  const api = useApi(modelfleetApiRef);
  const body = placementRequestOf(entity);
  const { value } = useAsync(async (): Promise<PlacementOption | undefined> => {
    if (!body) return undefined;
    const answer = await api.placement(body);
    return (
      answer.picked?.option ??
      answer.options.find(o => o.ref === answer.recommended)
    );
  }, [api, JSON.stringify(body)]);
  if (!value) return null;
  return (
    <div data-testid="model-cost-estimate">
      <Figures>
        <Figure
          label={`Estimated monthly charge on ${value.title}`}
          value={formatUsd(value.chargedMonthlyUsd)}
          testId="model-cost-estimate-charged"
          detail="what showback will charge the team a month, before any share of unallocated capacity"
        />
        <Figure
          label="Estimated growth of the cloud bill"
          value={formatUsd(value.monthlyUsd)}
          detail="a month, for the nodes it adds"
        />
      </Figures>
      <Typography variant="caption" color="textSecondary" component="p">
        The placement&apos;s estimate for {value.title} at{' '}
        {formatUsd(value.usdPerNodeHour)} a node-hour ({value.priceSource}),
        shown until the model&apos;s first day of cost is rolled up.
      </Typography>
    </div>
  );
};
