/**
 * Keep-alive policies: what a model does between two busy periods.
 *
 * Times are seconds (any epoch, the same for every call). A model is
 * *busy* while it serves a request; overlapping requests make one busy
 * interval. When a busy interval ends, the model is idle, and a policy
 * decides what it does until its next request: stay warm for a while and
 * then go to zero, and possibly wake again ahead of the demand it expects
 * (pre-warm). Policies learn only from the past: they are told each busy
 * interval when it starts and asked to decide when it ends, in time order.
 *
 * @internal
 */

/** What a model does from the end of a busy interval (`idleSince`). */
export interface IdleDecision {
  /**
   * Seconds it stays warm after `idleSince` before it goes to zero;
   * `Infinity` keeps it warm, 0 takes it to zero at once.
   */
  keepAliveSeconds: number;
  /**
   * A wake ahead of demand: at `afterSeconds` after `idleSince` (no sooner
   * than the keep-alive ends) the model starts loading, is warm once its
   * load time has passed, and stays warm `windowSeconds` after it started
   * loading, then goes to zero again unless a request came.
   */
  prewarm?: { afterSeconds: number; windowSeconds: number };
  /** Why, in words a platform engineer reads on the Model page. */
  reason: string;
}

/** What a policy knows of a model that is not learned from its traffic. */
export interface ModelWakeCost {
  /** Seconds from a wake to ready (weights loading, plus node provisioning when a node must be added). */
  loadSeconds: number;
  /**
   * Where the model rests when idle, for the reasons in words: `zero`
   * replicas (the default) or `sleep` (the sleep idle tier's engine).
   */
  restsAt?: 'zero' | 'sleep';
}

/** An online keep-alive policy over many models. */
export interface KeepAlivePolicy {
  /** Short name, for benchmark tables. */
  readonly name: string;
  /**
   * A busy interval of `model` started at `start` (its first request
   * arrived). Called in time order; `start` is after the end of the
   * model's previous busy interval, if any.
   */
  observeBusyStart(model: string, start: number, cost: ModelWakeCost): void;
  /** The busy interval of `model` ended at `end`: what it does now. */
  decide(model: string, end: number, cost: ModelWakeCost): IdleDecision;
}
