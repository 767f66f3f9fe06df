import { useApi } from '@backstage/core-plugin-api';
import {
  ModelActionsCapabilities,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { modelfleetApiRef } from '../../api';
import { isActive } from './format';

/** How often the card reads the model's actions again. */
export interface PollIntervals {
  /** While any action is not in a final state (default 2 s). */
  activeMs: number;
  /** When every action is final (default 15 s). */
  idleMs: number;
}

export const DEFAULT_POLL_INTERVALS: PollIntervals = {
  activeMs: 2_000,
  idleMs: 15_000,
};

/**
 * What the card knows of a model: the last capabilities and actions read,
 * and the error of the last read of each (cleared once one succeeds).
 */
export interface ModelActivity {
  loaded: boolean;
  capabilities?: ModelActionsCapabilities;
  capabilitiesError?: Error;
  actions?: ModelFleetAction[];
  actionsError?: Error;
}

/**
 * Reads a model's capabilities and actions, then again every
 * `intervals.activeMs` while an action is under way, else every
 * `intervals.idleMs`, until unmounted. `refresh` reads at once (after a
 * button posted something) and restarts the wait. Nothing is read while
 * `enabled` is false (the permissions are not known yet); with
 * `listActions` false (the caller may not see the actions) only the
 * capabilities are.
 */
export function useModelActivity(options: {
  model: { namespace: string; name: string };
  entityRef: string;
  intervals: PollIntervals;
  enabled?: boolean;
  listActions?: boolean;
}): { activity: ModelActivity; refresh: () => Promise<void> } {
  const api = useApi(modelfleetApiRef);
  const { namespace, name } = options.model;
  const { entityRef } = options;
  const enabled = options.enabled ?? true;
  const listActions = options.listActions ?? true;
  const { activeMs, idleMs } = options.intervals;
  const [activity, setActivity] = useState<ModelActivity>({ loaded: false });
  const loadRef = useRef<() => Promise<void>>(async () => {});

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Only the newest read may update the card and schedule the next one.
    let generation = 0;
    let known: ModelFleetAction[] = [];
    setActivity({ loaded: false });
    if (!enabled) return undefined;

    const load = async () => {
      const mine = ++generation;
      clearTimeout(timer);
      const [capabilities, actions] = await Promise.allSettled([
        api.getModelCapabilities({ namespace, name }),
        listActions
          ? api.listActions({ entityRef })
          : Promise.resolve(undefined),
      ]);
      if (stopped || mine !== generation) return;
      if (actions.status === 'fulfilled' && actions.value) {
        known = actions.value.actions;
      }
      setActivity(previous => ({
        loaded: true,
        capabilities:
          capabilities.status === 'fulfilled'
            ? capabilities.value
            : previous.capabilities,
        capabilitiesError:
          capabilities.status === 'rejected' ? capabilities.reason : undefined,
        actions:
          actions.status === 'fulfilled'
            ? actions.value?.actions
            : previous.actions,
        actionsError:
          actions.status === 'rejected' ? actions.reason : undefined,
      }));
      timer = setTimeout(load, known.some(isActive) ? activeMs : idleMs);
    };

    loadRef.current = load;
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
      loadRef.current = async () => {};
    };
  }, [api, namespace, name, entityRef, activeMs, idleMs, enabled, listActions]);

  const refresh = useCallback(() => loadRef.current(), []);
  return { activity, refresh };
}
