/**
 * Types, constants, permissions and pure helpers shared by the ModelFleet
 * frontend and backend packages.
 *
 * @packageDocumentation
 */

export * from './actions';
export * from './arbitrage';
export * from './constants';
export * from './cost';
export * from './deploy';
export * from './fleet';
export * from './hibernation';
export * from './format';
export * from './kinds';
export * from './limits';
export * from './memory';
export * from './modelSource';
export * from './naming';
export * from './permissions';
export * from './placement';
export * from './policy';
export * from './recommendations';
export * from './reconciliation';
export * from './savings';
export * from './types';
export * from './utilization';
