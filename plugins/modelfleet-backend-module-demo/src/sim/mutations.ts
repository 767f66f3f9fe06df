import { ChangeRecord, ObjectStore } from './store';

/**
 * What clients changed, per `modelfleet.io/action-step`.
 *
 * @public
 */
export interface MutationReport {
  /** Effective changes by API requests, per action step annotation value. */
  byActionStep: Record<string, number>;
  /** Effective changes of objects without the annotation. */
  unannotated: number;
  /** All effective changes by API requests. */
  total: number;
  /** API requests per verb (`get`, `list`, `watch`, `patch`, …), changes or not. */
  requestsByVerb: Record<string, number>;
  /** The latest changes by API requests, oldest first (at most 1,000). */
  changes: ChangeRecord[];
}

/**
 * Counts the writes of API clients that changed an object: a write that
 * changes nothing (a re-apply of the same object, a scale to the replicas
 * it has) makes no new resourceVersion and is not counted; neither are
 * dry runs nor the simulation's own controllers.
 */
export class MutationLog {
  private byStep = new Map<string, number>();
  private unannotated = 0;
  private total = 0;
  private requests = new Map<string, number>();
  private changes: ChangeRecord[] = [];
  private readonly unsubscribe: () => void;

  constructor(store: ObjectStore) {
    this.unsubscribe = store.onChange(c => this.record(c));
  }

  private record(change: ChangeRecord): void {
    if (change.source !== 'api') return;
    this.total += 1;
    if (change.actionStep) {
      this.byStep.set(
        change.actionStep,
        (this.byStep.get(change.actionStep) ?? 0) + 1,
      );
    } else {
      this.unannotated += 1;
    }
    this.changes.push(change);
    if (this.changes.length > 1000) this.changes.shift();
  }

  /** Counts a request of the API server. */
  request(verb: string): void {
    this.requests.set(verb, (this.requests.get(verb) ?? 0) + 1);
  }

  /** Effective changes made under one action step. */
  countFor(actionStep: string): number {
    return this.byStep.get(actionStep) ?? 0;
  }

  report(): MutationReport {
    return {
      byActionStep: Object.fromEntries([...this.byStep].sort()),
      unannotated: this.unannotated,
      total: this.total,
      requestsByVerb: Object.fromEntries([...this.requests].sort()),
      changes: [...this.changes],
    };
  }

  reset(): void {
    this.byStep.clear();
    this.requests.clear();
    this.unannotated = 0;
    this.total = 0;
    this.changes = [];
  }

  dispose(): void {
    this.unsubscribe();
  }
}
