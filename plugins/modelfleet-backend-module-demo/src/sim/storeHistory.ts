/** The bounded history of an object store's changes, for watches, and the listeners to them. */
import { ResourceType, typeKey } from './resources';
import { ChangeRecord, StoreEvent } from './storeTypes';

/**
 * The last `limit` events of a store, the oldest resourceVersion a watch
 * may start from, and the listeners of events and of changes.
 */
export class StoreHistory {
  private readonly events: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly changeListeners = new Set<(c: ChangeRecord) => void>();
  /** Watches from a resourceVersion below this are too old (410 Gone). */
  private oldestRv = 0;

  constructor(private readonly limit: number) {}

  get oldest(): number {
    return this.oldestRv;
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onChange(listener: (c: ChangeRecord) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Changes of a type after a resourceVersion, or `gone` when they were compacted. */
  eventsSince(type: ResourceType, rv: number): StoreEvent[] | 'gone' {
    if (rv < this.oldestRv) return 'gone';
    const key = typeKey(type);
    return this.events.filter(e => e.rv > rv && typeKey(e.resource) === key);
  }

  /** Forgets the history: watches from any resourceVersion before `rv` get 410 Gone. */
  compact(rv: number): void {
    this.events.length = 0;
    this.oldestRv = rv;
  }

  /** Keeps an event (dropping the oldest beyond the limit) and tells the listeners. */
  record(event: StoreEvent): void {
    this.events.push(event);
    if (this.events.length > this.limit) {
      const dropped = this.events.splice(0, this.events.length - this.limit);
      this.oldestRv = dropped[dropped.length - 1].rv;
    }
    for (const l of [...this.listeners]) l(event);
  }

  /** Tells the change listeners of a write. */
  recordChange(change: ChangeRecord): void {
    for (const l of [...this.changeListeners]) l(change);
  }
}
