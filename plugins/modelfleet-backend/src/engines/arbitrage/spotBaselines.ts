/**
 * The policies the engine's spot serving is measured against, driven by
 * the same replay (spotSim.ts):
 *
 * - always on-demand: every replica on the cheapest on-demand pool;
 * - cheapest spot, replaced reactively: every replica on the cheapest spot
 *   pool with capacity; a replica under notice is replaced on the cheapest
 *   spot pool that takes it, else on on-demand, which stays until a spot
 *   launch succeeds and turns Ready;
 * - SpotHedge-like, after SkyServe (Mao et al., "SkyServe: Serving AI
 *   Models across Regions and Clouds with Spot Instances", EuroSys '25) and
 *   its implementation in SkyPilot (`sky/serve/spot_placer.py`,
 *   `FallbackRequestRateAutoscaler`): required + `extra` spot replicas
 *   (overprovisioning), each new one in the cheapest *active* zone not yet
 *   used by the model, else the cheapest active one; a zone turns
 *   preempted on a preemption or failed launch and active again when a
 *   replica there turns Ready, and all turn active when fewer than two
 *   remain; on-demand fallback = the base + (spot wanted − spot Ready),
 *   at most the required count, scaled down as soon as spot is Ready.
 *   It is given the preemption notices too (SkyServe reacts to the
 *   preemption itself), which only makes it stronger.
 *
 * @internal
 */
import {
  alive,
  baseOnDemand,
  compareIds,
  placeOnDemand,
  PoolRun,
  ServingPolicy,
  ServingPool,
  SpotServingInput,
} from './spotTypes';

const byPrice = (a: ServingPool, b: ServingPool) =>
  a.usdPerHour - b.usdPerHour || compareIds(a.id, b.id);

const last = (xs: readonly number[]) =>
  xs.length ? xs[xs.length - 1] : -Infinity;

/** Whether a launch in the pool failed at this very time (try elsewhere). */
export const failedNow = (run: PoolRun | undefined, now: number) =>
  !!run && last(run.failures) === now;

function split(input: SpotServingInput) {
  const spot = input.pools.filter(p => p.capacity === 'spot').sort(byPrice);
  const onDemand = input.pools
    .filter(p => p.capacity === 'on-demand')
    .sort(byPrice);
  return { spot, onDemand };
}

export const alwaysOnDemandPolicy = (): ServingPolicy => ({
  name: 'always on-demand',
  decide(input) {
    const { onDemand } = split(input);
    const targets: Record<string, number> = {};
    placeOnDemand(onDemand, input.runs, input.required, targets);
    return {
      targets,
      reason: `${input.required} on-demand replicas on ${onDemand[0]?.id}`,
    };
  },
});

export const cheapestSpotPolicy = (): ServingPolicy => ({
  name: 'cheapest spot, reactive',
  decide(input) {
    const { spot, onDemand } = split(input);
    const R = input.required;
    const targets: Record<string, number> = {};
    let aliveSpot = 0;
    let readySpot = 0;
    for (const p of spot) {
      const run = input.runs[p.id];
      targets[p.id] = alive(run);
      aliveSpot += alive(run);
      readySpot += run?.ready ?? 0;
    }
    for (let i = spot.length - 1; i >= 0 && aliveSpot > R; i--) {
      const cut = Math.min(targets[spot[i].id], aliveSpot - R);
      targets[spot[i].id] -= cut;
      aliveSpot -= cut;
    }
    let reason = `${aliveSpot} spot replicas kept`;
    if (aliveSpot < R) {
      const to = spot.find(p => !failedNow(input.runs[p.id], input.now));
      if (to) {
        targets[to.id] += R - aliveSpot;
        reason = `${R - aliveSpot} replaced on the cheapest spot pool ${to.id}`;
        aliveSpot = R;
      } else reason = 'no spot pool has capacity';
    }
    let odAlive = 0;
    for (const p of onDemand) odAlive += alive(input.runs[p.id]);
    const od = Math.max(
      R - aliveSpot,
      Math.min(odAlive, Math.max(0, R - readySpot)),
    );
    placeOnDemand(onDemand, input.runs, od, targets);
    return { targets, reason: od ? `${reason}; ${od} on-demand` : reason };
  },
});

/** SpotHedge-like; `extra` spot replicas beyond the need (1 by default). */
export function spotHedgePolicy(extra = 1): ServingPolicy {
  let resetAt = -Infinity;
  return {
    name: 'SpotHedge-like',
    decide(input) {
      const { spot, onDemand } = split(input);
      const R = input.required;
      const now = input.now;
      const base = baseOnDemand(input.policy, R);
      const spotWanted = R - base > 0 ? R - base + extra : 0;
      const preempted = (p: ServingPool) => {
        const run = input.runs[p.id];
        if (!run) return false;
        const bad = Math.max(last(run.preemptions), last(run.failures));
        return bad > Math.max(run.lastReadyAt ?? -Infinity, resetAt);
      };
      let active = spot.filter(p => !preempted(p));
      if (active.length < 2) {
        resetAt = now;
        active = spot;
      }
      active = active.filter(p => !failedNow(input.runs[p.id], now));
      const targets: Record<string, number> = {};
      let aliveSpot = 0;
      let readySpot = 0;
      for (const p of spot) {
        const run = input.runs[p.id];
        targets[p.id] = alive(run);
        aliveSpot += alive(run);
        readySpot += run?.ready ?? 0;
      }
      // Too many: stop on the dearest pools first.
      for (let i = spot.length - 1; i >= 0 && aliveSpot > spotWanted; i--) {
        const cut = Math.min(targets[spot[i].id], aliveSpot - spotWanted);
        targets[spot[i].id] -= cut;
        aliveSpot -= cut;
      }
      const launched: string[] = [];
      while (aliveSpot < spotWanted && active.length) {
        const unused = active.filter(p => !targets[p.id]);
        const to = (unused.length ? unused : active)[0];
        targets[to.id]++;
        aliveSpot++;
        launched.push(to.id);
      }
      const od = Math.min(
        R,
        base + (spotWanted > 0 ? Math.max(0, spotWanted - readySpot) : 0),
      );
      placeOnDemand(onDemand, input.runs, od, targets);
      return {
        targets,
        reason: `${spotWanted} spot wanted (${readySpot} Ready)${
          launched.length ? `, launching on ${launched.join(', ')}` : ''
        }; ${od} on-demand`,
      };
    },
  };
}
