/*
 * The engine under test, src/engines/hibernation/adaptive.ts, and the
 * values of its knob the bench sweeps.
 */
import {
  adaptivePolicy,
  DEFAULT_COLD_START_PENALTY_SECONDS,
} from '../../src/engines/hibernation/adaptive';
import { KeepAlivePolicy } from '../../src/engines/hibernation/types';

/** What the bench needs of the engine's module. */
export interface EngineModule {
  adaptivePolicy(options: { coldStartPenaltySeconds: number }): KeepAlivePolicy;
  DEFAULT_COLD_START_PENALTY_SECONDS: number;
}

/** The engine. (Kept behind a function so a bench can run another.) */
export function loadEngine(): EngineModule | undefined {
  return { adaptivePolicy, DEFAULT_COLD_START_PENALTY_SECONDS };
}

/** The knob values the bench sweeps (the default is added when missing). */
export const PENALTY_SWEEP_SECONDS = [
  0, 15, 30, 60, 120, 300, 600, 1200, 2400, 4800,
];
