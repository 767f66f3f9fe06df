import { DemoModel, replicasAt } from './definition';
import { TraceReplay } from './replay';
import { scaleToZeroOf } from './sim/modelObjects';

/**
 * Replicas of a deployed demo model at a time the simulator did not run
 * (the past the showback backfill and the metrics fill in): its
 * deployment's, except that a model that scales to zero (`scaleToZeroOf`)
 * is at zero unless its trace had a request within its keep-alive before,
 * as KEDA would have left it. With `windowSeconds`, whether it was warm at
 * any time from `at` to `at + windowSeconds`.
 */
export function pastReplicasAt(
  model: DemoModel,
  replay: TraceReplay | undefined,
  at: Date,
  windowSeconds = 0,
): number {
  const replicas = replicasAt(model.deployment!, at);
  const zero = scaleToZeroOf(model);
  if (!zero || !replay) return replicas;
  const since = replay.secondsSinceLastRequest(
    at.getTime() / 1000 + windowSeconds,
  );
  const warm = since !== null && since <= zero.keepAliveSeconds + windowSeconds;
  return warm ? replicas : 0;
}
