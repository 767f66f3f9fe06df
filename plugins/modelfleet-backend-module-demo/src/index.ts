/**
 * The ModelFleet demo fleet: simulated clusters, pools and models with
 * traffic replayed from real public traces, for a portal that lives on first
 * start without a cloud account.
 *
 * @packageDocumentation
 */

export { modelfleetModuleDemo as default } from './module';
