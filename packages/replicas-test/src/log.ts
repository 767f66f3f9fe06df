/* eslint-disable no-console */
/** The run's log: each line stamped with the seconds since the run started. */
const t0 = Date.now();
const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`;

/** Prints a line of the run's progress. */
export const log = (m: string) => console.log(`${stamp()} ${m}`);
