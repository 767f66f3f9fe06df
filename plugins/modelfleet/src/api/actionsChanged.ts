import { useEffect } from 'react';

/** The page-wide event of {@link announceActionsChanged}. */
const ACTIONS_CHANGED = 'modelfleet:actions-changed';

/**
 * Tells the cards on the page that list actions (Moves, Node
 * consolidations) that one was just made or decided elsewhere on the page,
 * e.g. by Apply on a recommendation, so they read their list again rather
 * than wait for a reload.
 */
export function announceActionsChanged(): void {
  window.dispatchEvent(new Event(ACTIONS_CHANGED));
}

/** Calls `reload` whenever {@link announceActionsChanged} is called. */
export function useActionsChanged(reload: () => void): void {
  useEffect(() => {
    const listener = () => reload();
    window.addEventListener(ACTIONS_CHANGED, listener);
    return () => window.removeEventListener(ACTIONS_CHANGED, listener);
  }, [reload]);
}
