import { ResourceType } from './resources';
import { StoredObject } from './objects';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change of one object, as watches see it. */
export interface StoreEvent {
  rv: number;
  type: EventType;
  resource: ResourceType;
  object: StoredObject;
  /** The object before a change or a deletion. */
  old?: StoredObject;
}

/** Who writes, and how. */
export interface WriteOptions {
  /** Field manager; `unknown` by default (as for a client that names none). */
  manager?: string;
  /** Validate and return the result, but store nothing. */
  dryRun?: boolean;
  /** `api` for requests to the API server, `controller` for the simulation's own changes. */
  source?: 'api' | 'controller';
  /** The user of an API request. */
  user?: string;
  /** The verb to record (`patch`, `update`, …); derived when absent. */
  verb?: string;
  /** The subresource written (`scale`, `status`). */
  subresource?: string;
}

/** A write that changed an object. */
export interface ChangeRecord {
  rv: number;
  time: string;
  verb: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name: string;
  source: 'api' | 'controller';
  user?: string;
  /** The `modelfleet.io/action-step` annotation of the changed object. */
  actionStep?: string;
}
