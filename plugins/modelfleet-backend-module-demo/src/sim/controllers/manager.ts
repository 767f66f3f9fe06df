import { SimClock, SimTimer } from '../clock';
import { ObjectStore } from '../store';

/** A controller: brings the cluster one step closer to what its objects ask for. */
export interface Controller {
  readonly name: string;
  /** Looks at the whole cluster and writes what is off; writes nothing when all is well. */
  reconcile(): void;
}

/**
 * Runs the controllers of a cluster in a fixed order whenever something
 * changed, as passes over the whole cluster, until a pass writes nothing.
 * A change (of any object) schedules one pass at the current simulated
 * time, so changes made over the API are acted on at once, and a run of
 * the simulation depends only on its inputs.
 */
export class ControllerManager {
  private readonly controllers: Controller[] = [];
  private scheduled?: SimTimer;
  private running = false;
  private readonly afterPass: Array<() => void> = [];
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
  ) {
    this.unsubscribe = store.subscribe(() => this.kick());
  }

  add(...controllers: Controller[]): void {
    this.controllers.push(...controllers);
  }

  /** Called after every settled pass (to resolve waiting requests, say). */
  onSettled(fn: () => void): void {
    this.afterPass.push(fn);
  }

  /** Asks for a pass at the current simulated time. */
  kick(): void {
    if (this.running || this.scheduled || this.stopped) return;
    this.scheduled = this.clock.setTimeout(() => {
      this.scheduled = undefined;
      this.runNow();
    }, 0);
  }

  /** Runs passes until the cluster is settled. */
  runNow(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (let pass = 0; pass < 25; pass++) {
        const before = this.store.resourceVersion;
        for (const c of this.controllers) c.reconcile();
        if (this.store.resourceVersion === before) break;
      }
    } finally {
      this.running = false;
    }
    for (const fn of this.afterPass) fn();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.scheduled);
    this.unsubscribe();
  }
}
