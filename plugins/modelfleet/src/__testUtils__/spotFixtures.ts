import {
  FallbackDetails,
  ModelFleetAction,
  ModelServing,
  ServingReplicas,
} from '@modelfleet/plugin-modelfleet-common';
import { minutesAgo, modelAction } from './actionFixtures';

/**
 * What the spot fallback loop stores with a fallback of the test model:
 * a reclaim notice 2 minutes ago on g6-l4-spot (prod-use1), the stand-in
 * up from 0 to 2 replicas on l4-ondemand (prod-use1).
 */
export const fallbackDetails = (
  overrides: Partial<FallbackDetails> = {},
): FallbackDetails => ({
  direction: 'fallback',
  spot: {
    pool: 'gpupool:default/prod-use1.g6-l4-spot',
    title: 'g6-l4-spot (prod-use1)',
    usdPerHour: 0.31,
  },
  onDemand: {
    pool: 'gpupool:default/prod-use1.l4-ondemand',
    title: 'l4-ondemand (prod-use1)',
    usdPerHour: 0.8,
  },
  replicas: { from: 0, to: 2 },
  required: 2,
  spotReady: 0,
  noticedAt: minutesAgo(2),
  ...overrides,
});

/** A done spot fallback of the test model, asked for by the arbitrage policy. */
export const fallbackAction = (
  overrides: Partial<ModelFleetAction> = {},
): ModelFleetAction =>
  modelAction({
    id: 'f1',
    kind: 'spot-fallback',
    state: 'done',
    stepIndex: 2,
    requestedBy: 'policy:arbitrage',
    reason:
      'On-demand stand-in 0 → 2 on l4-ondemand (prod-use1): a spot reclaim notice on g6-l4-spot (prod-use1)',
    fallback: fallbackDetails(),
    ...overrides,
  });

/** Its return: the stand-in down from 2 to 0 once spot served again. */
export const returnAction = (
  overrides: Partial<ModelFleetAction> = {},
): ModelFleetAction =>
  fallbackAction({
    id: 'f2',
    reason:
      'On-demand stand-in 2 → 0 on l4-ondemand (prod-use1): spot serves again on g6-l4-spot (prod-use1)',
    fallback: fallbackDetails({
      direction: 'return',
      replicas: { from: 2, to: 0 },
      spotReady: 2,
      noticedAt: undefined,
    }),
    ...overrides,
  });

/**
 * How the test model is served: 2 of 2 replicas Ready on its spot pool,
 * nothing under notice or waiting, and the stand-in when one is given.
 */
export const serving = (
  primary: Partial<ModelServing['primary']> = {},
  standIn?: Partial<ServingReplicas>,
): ModelServing => ({
  primary: {
    name: 'llama-3-1-8b-chat',
    pool: 'gpupool:default/prod-use1.g6-l4-spot',
    title: 'g6-l4-spot (prod-use1)',
    capacityType: 'spot',
    desired: 2,
    ready: 2,
    underNotice: 0,
    waitingForNode: 0,
    ...primary,
  },
  ...(standIn
    ? {
        standIn: {
          name: 'llama-3-1-8b-chat-on-demand',
          pool: 'gpupool:default/prod-use1.l4-ondemand',
          title: 'l4-ondemand (prod-use1)',
          capacityType: 'on-demand',
          desired: 2,
          ready: 2,
          ...standIn,
        },
      }
    : {}),
});
