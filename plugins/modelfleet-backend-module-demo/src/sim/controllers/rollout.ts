/**
 * The rolling update of a Deployment, as the Kubernetes Deployment
 * controller does it (pure): the new ReplicaSet grows while the total
 * stays within the replicas plus `maxSurge`, and old ReplicaSets shrink
 * only as far as keeps `replicas - maxUnavailable` pods ready. With
 * `maxUnavailable: 0` the old pods serve until new ones are Ready:
 * make-before-break.
 */

/** A Deployment's `spec.strategy`. */
export interface DeploymentStrategy {
  type?: string;
  rollingUpdate?: {
    maxSurge?: number | string;
    maxUnavailable?: number | string;
  };
}

/**
 * An int-or-percent of `replicas`, as the controller resolves it: a
 * percentage rounds up for the surge and down for the unavailable.
 */
function resolve(
  value: number | string | undefined,
  fallback: string,
  replicas: number,
  roundUp: boolean,
): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return Math.max(0, Math.floor(v));
  const percent = /^(\d+)%$/.exec(v.trim());
  if (!percent) {
    const n = Number(v);
    return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
  }
  const share = (Number(percent[1]) * replicas) / 100;
  return roundUp ? Math.ceil(share) : Math.floor(share);
}

/**
 * The surge and unavailable pods a rolling update may use (25 % each by
 * default; both zero is not allowed, so unavailable is then 1), or
 * undefined for the `Recreate` strategy.
 */
export function rolloutBounds(
  strategy: DeploymentStrategy | undefined,
  replicas: number,
): { surge: number; unavailable: number } | undefined {
  if (strategy?.type === 'Recreate') return undefined;
  const surge = resolve(
    strategy?.rollingUpdate?.maxSurge,
    '25%',
    replicas,
    true,
  );
  const unavailable = resolve(
    strategy?.rollingUpdate?.maxUnavailable,
    '25%',
    replicas,
    false,
  );
  return {
    surge,
    unavailable: surge === 0 && unavailable === 0 ? 1 : unavailable,
  };
}

/** One ReplicaSet of a rollout: its replicas and its ready pods. */
export interface RolloutSet {
  replicas: number;
  ready: number;
}

/**
 * One pass of a rolling update: the replicas of the new ReplicaSet and of
 * each old one (oldest first). Old pods that are not ready go first (they
 * serve nothing); ready ones only as far as the ready pods stay at or
 * above `desired - unavailable`.
 */
export function rolloutStep(input: {
  desired: number;
  surge: number;
  unavailable: number;
  current: RolloutSet;
  old: RolloutSet[];
}): { current: number; old: number[] } {
  const { desired, surge, unavailable, current, old } = input;
  const oldTotal = old.reduce((s, o) => s + o.replicas, 0);
  const next = Math.min(
    desired,
    Math.max(Math.min(current.replicas, desired), desired + surge - oldTotal),
  );
  const oldReady = old.reduce((s, o) => s + Math.min(o.ready, o.replicas), 0);
  let removable = Math.max(
    0,
    current.ready + oldReady - Math.max(0, desired - unavailable),
  );
  const olds = old.map(o => {
    const ready = Math.min(o.ready, o.replicas);
    const cut = Math.min(ready, removable);
    removable -= cut;
    return o.replicas - (o.replicas - ready) - cut;
  });
  return { current: Math.max(0, next), old: olds };
}
