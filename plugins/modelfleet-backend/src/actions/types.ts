import { ClusterActuator } from '@modelfleet/plugin-modelfleet-node';
import { NewAction, StoredAction } from '../database/ActionStore';

/**
 * A request for an action: what to do and who asks. The diff is worked out
 * by the action service from the objects as they are now.
 */
export type ActionRequest = Omit<NewAction, 'diff'>;

/**
 * Where decisions become stored actions. Planning is idempotent by the
 * request's key: asking twice returns the stored action (`created: false`).
 */
export interface ActionRequester {
  request(
    action: ActionRequest,
  ): Promise<{ action: StoredAction; created: boolean }>;
  get(id: string): Promise<StoredAction | undefined>;
}

/** The actuator that reaches a cluster, by the cluster's name. */
export interface ActuatorDirectory {
  /** Throws an InputError naming the cluster when no actuator reaches it. */
  forCluster(cluster: string): Promise<ClusterActuator>;
  /** Every cluster some actuator reaches. */
  clusters(): Promise<string[]>;
}
