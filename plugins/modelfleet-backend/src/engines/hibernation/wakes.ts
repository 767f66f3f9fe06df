import {
  HibernationState,
  ModelWake,
} from '@modelfleet/plugin-modelfleet-common';
import { PodStart } from '@modelfleet/plugin-modelfleet-node';

/** A model's state from its replicas. */
export function stateOf(replicas: {
  desired: number;
  ready: number;
}): HibernationState {
  if (replicas.ready > 0) return 'warm';
  return replicas.desired > 0 ? 'waking' : 'atZero';
}

/**
 * A model's state as the card shows it: `asleep` when it is of the sleep
 * idle tier and every ready replica's engine sleeps, else by its replicas.
 */
export function stateOfModel(
  replicas: { desired: number; ready: number },
  engine?: { pods: number; sleeping: number },
): HibernationState {
  if (engine && engine.pods > 0 && engine.sleeping >= engine.pods) {
    return 'asleep';
  }
  return stateOf(replicas);
}

/** What the loop saw of a model at this pass, and at its previous one. */
export interface WakeObservation {
  previous?: { state: HibernationState; observedAt: string };
  state: HibernationState;
  /** ms */
  now: number;
  /** The model's pods now, when the actuator lists them. */
  pods?: PodStart[];
  /** The wake still waiting for its first Ready replica, if any. */
  open?: { startedAt: string };
  /**
   * When ModelFleet last asked for the model to wake (a pre-warm, a
   * schedule, a person's Wake), ms; a wake that began then is not a cold
   * start.
   */
  wokenByModelFleetAt?: number;
}

/** How long before a wake ModelFleet's own ask may have come. */
const OWN_WAKE_LEAD_MS = 5 * 60_000;

/**
 * What to record of a model's wakes from two passes of the loop (pure). A
 * wake starts when a model seen at zero has a replica asked for; it starts
 * when its first new pod was created (exactly, from the pods) or, without
 * pods, at the pass that saw it; it ends when that pod turned Ready (or at
 * the pass that saw a ready replica). It is a cold start unless ModelFleet
 * asked for it (a request woke the model through its autoscaler).
 */
export function trackWakes(o: WakeObservation): {
  add?: ModelWake;
  ready?: { startedAt: string; readyAt: string };
} {
  const nowIso = new Date(o.now).toISOString();
  const since = o.previous ? Date.parse(o.previous.observedAt) : undefined;
  const readyOf = (startedAt: string) => {
    const start = Date.parse(startedAt);
    const pod = o.pods?.find(
      p => p.readyAt && Date.parse(p.createdAt) >= start - 1000,
    );
    return pod?.readyAt ?? nowIso;
  };
  if (o.open && o.state === 'warm') {
    return {
      ready: {
        startedAt: o.open.startedAt,
        readyAt: readyOf(o.open.startedAt),
      },
    };
  }
  if (o.previous?.state !== 'atZero' || o.state === 'atZero') return {};
  const first = o.pods?.find(p => Date.parse(p.createdAt) >= since! - 1000);
  const startedAt = first?.createdAt ?? nowIso;
  const start = Date.parse(startedAt);
  const cold = !(
    o.wokenByModelFleetAt !== undefined &&
    o.wokenByModelFleetAt >= start - OWN_WAKE_LEAD_MS &&
    o.wokenByModelFleetAt <= start + 60_000
  );
  if (o.state === 'warm') {
    const readyAt = first?.readyAt ?? nowIso;
    return {
      add: {
        startedAt,
        readyAt,
        seconds: (Date.parse(readyAt) - start) / 1000,
        cold,
      },
    };
  }
  return { add: { startedAt, cold } };
}

/** The p-th percentile (0–100) of values, nearest rank; null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
