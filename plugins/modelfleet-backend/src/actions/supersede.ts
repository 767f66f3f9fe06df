import { StoredAction } from '../database/ActionStore';

/**
 * Whether a person's request on a model takes the place of the action in
 * flight on it: a policy's proposal (the hibernation loop's, say) still at
 * `planned`, typically a recommendation waiting for an approval. Cancelled
 * in favour of what a person asks for, it would otherwise block every
 * change to the model until someone approved or cancelled it.
 */
export function supersededByPerson(
  action: Pick<StoredAction, 'state' | 'requestedBy'>,
): boolean {
  return action.state === 'planned' && action.requestedBy.startsWith('policy:');
}
