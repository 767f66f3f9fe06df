import { useApi } from '@backstage/core-plugin-api';
import {
  Recommendation,
  RecommendationsResponse,
  RecommendationState,
} from '@modelfleet/plugin-modelfleet-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { modelfleetApiRef, RecommendationsQuery } from '../../api';
import { announceActionsChanged } from '../../api/actionsChanged';
import { errorMessage } from '../EntityModelActivityCard/format';
import { appliedText, bySaving, NextStep, nextStepOf } from './format';

/** What a person does with a recommendation. */
export type RecommendationVerb = 'apply' | 'dismiss' | 'snooze' | 'restore';

const VERB_WORDS: Record<RecommendationVerb, string> = {
  apply: 'apply',
  dismiss: 'dismiss',
  snooze: 'snooze',
  restore: 'restore',
};

/** The answer to the last action: what happened, or why it failed. */
export interface RecommendationOutcome {
  severity: 'success' | 'error';
  message: string;
  /** After an apply: where its action is approved or followed. */
  next?: NextStep;
}

/** How many days a snooze hides a recommendation for, when not given. */
const DEFAULT_SNOOZE_DAYS = 7;

/**
 * The recommendations of a query in some states, sorted by saving, and what
 * a person does with them (a snooze for `days`, 7 unless given): after each
 * action the list is read again. Errors are kept for the card to show,
 * never thrown.
 */
export function useRecommendations(
  query: Omit<RecommendationsQuery, 'state'> | undefined,
  states: RecommendationState[],
) {
  const api = useApi(modelfleetApiRef);
  const [response, setResponse] = useState<RecommendationsResponse>();
  const [readError, setReadError] = useState<Error>();
  const [busy, setBusy] = useState<string>();
  const [outcome, setOutcome] = useState<RecommendationOutcome>();
  // Only the newest read may update the list.
  const generation = useRef(0);
  const entity = query?.entity;
  const team = query?.team;
  const wanted = states.join(',');

  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const read = await api.listRecommendations({
        ...(entity ? { entity } : {}),
        ...(team ? { team } : {}),
        state: wanted.split(',') as RecommendationState[],
      });
      if (mine !== generation.current) return;
      setResponse({ ...read, items: bySaving(read.items) });
      setReadError(undefined);
    } catch (e) {
      if (mine === generation.current) setReadError(e as Error);
    }
  }, [api, entity, team, wanted]);

  useEffect(() => {
    const reads = generation;
    setResponse(undefined);
    load();
    return () => {
      // Answers after unmounting, or for another query, are dropped.
      reads.current++;
    };
  }, [load]);

  const act = async (
    r: Recommendation,
    verb: RecommendationVerb,
    days: number = DEFAULT_SNOOZE_DAYS,
  ) => {
    setBusy(`${verb}:${r.id}`);
    setOutcome(undefined);
    try {
      if (verb === 'apply') {
        const answer = await api.applyRecommendation(r.id);
        announceActionsChanged();
        setOutcome({
          severity: 'success',
          message: appliedText(r, answer),
          next: nextStepOf(r, answer),
        });
      } else if (verb === 'dismiss') {
        await api.dismissRecommendation(r.id);
      } else if (verb === 'snooze') {
        await api.snoozeRecommendation(r.id, { days });
      } else {
        await api.restoreRecommendation(r.id);
      }
    } catch (e) {
      setOutcome({
        severity: 'error',
        message: `Could not ${VERB_WORDS[verb]} “${r.title}”: ${errorMessage(
          e as Error,
        )}`,
      });
    } finally {
      setBusy(undefined);
    }
    await load();
  };

  return {
    response,
    readError,
    busy,
    outcome,
    clearOutcome: () => setOutcome(undefined),
    act,
  };
}
