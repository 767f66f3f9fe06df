import { useApi } from '@backstage/core-plugin-api';
import {
  ModelArbitrageReport,
  ModelFleetAction,
} from '@modelfleet/plugin-modelfleet-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { modelfleetApiRef } from '../../api';
import { underWay } from './format';

/** How often the card reads again while something is under way. */
export const SPOT_POLL_MS = 10_000;

/** The newest spot fallbacks the card lists. */
export const FALLBACKS_SHOWN = 10;

/** The newest moves the card lists. */
export const MOVES_SHOWN = 5;

/**
 * What the card knows of a model's spot serving: the last what-if report
 * (its `serving`), the model's spot fallbacks and moves, newest first, and
 * the error of the last read of each (cleared once one succeeds).
 */
export interface SpotData {
  loaded: boolean;
  report?: ModelArbitrageReport;
  reportError?: Error;
  fallbacks?: ModelFleetAction[];
  moves?: ModelFleetAction[];
  actionsError?: Error;
}

/**
 * Reads a model's what-if report (with `readReport`) and its
 * `spot-fallback` and `migrate` actions (with `readActions`), then again
 * every `pollMs` while something is under way (an action not final, a
 * reclaim notice, replicas waiting for a node, a stand-in up). Nothing is
 * read until `enabled` (the permissions are known). `reload` reads at once.
 */
export function useSpotData(options: {
  model: { namespace: string; name: string };
  entityRef: string;
  enabled: boolean;
  readReport: boolean;
  readActions: boolean;
  pollMs: number;
}): { data: SpotData; reload: () => Promise<void> } {
  const api = useApi(modelfleetApiRef);
  const { namespace, name } = options.model;
  const { entityRef, enabled, readReport, readActions, pollMs } = options;
  const [data, setData] = useState<SpotData>({ loaded: false });
  // Only the newest read may update the card.
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    const [report, actions] = await Promise.allSettled([
      readReport
        ? api.getModelArbitrage({ namespace, name })
        : Promise.resolve(undefined),
      readActions
        ? Promise.all([
            api.listActions({
              entityRef,
              kind: 'spot-fallback',
              limit: FALLBACKS_SHOWN,
            }),
            api.listActions({ entityRef, kind: 'migrate', limit: MOVES_SHOWN }),
          ])
        : Promise.resolve(undefined),
    ]);
    if (mine !== generation.current) return;
    setData(previous => {
      const next: SpotData = {
        loaded: true,
        report: previous.report,
        fallbacks: previous.fallbacks,
        moves: previous.moves,
      };
      if (report.status === 'fulfilled') next.report = report.value;
      else next.reportError = report.reason;
      if (actions.status === 'fulfilled' && actions.value) {
        const [fallbacks, moves] = actions.value;
        next.fallbacks = fallbacks.actions.filter(
          a => a.kind === 'spot-fallback',
        );
        next.moves = moves.actions.filter(a => a.kind === 'migrate');
      } else if (actions.status === 'rejected') {
        next.actionsError = actions.reason;
      }
      return next;
    });
  }, [api, namespace, name, entityRef, readReport, readActions]);

  useEffect(() => {
    const reads = generation;
    setData({ loaded: false });
    if (!enabled) return undefined;
    load();
    return () => {
      // Answers after unmounting (or for another model) are dropped.
      reads.current++;
    };
  }, [enabled, load]);

  const busy =
    enabled &&
    underWay(data.report?.serving, [
      ...(data.fallbacks ?? []),
      ...(data.moves ?? []),
    ]);
  useEffect(() => {
    if (!busy) return undefined;
    const timer = setInterval(load, pollMs);
    return () => clearInterval(timer);
  }, [busy, load, pollMs]);

  return { data, reload: load };
}
