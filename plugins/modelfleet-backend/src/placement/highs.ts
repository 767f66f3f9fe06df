import { HighsSolve } from '../engines/placement';

/**
 * Loads the HiGHS solver (WebAssembly) once and shares it. A solve that
 * aborts the WebAssembly instance drops it, so the next call loads a fresh
 * one.
 */
export function createHighsLoader(): () => Promise<HighsSolve> {
  let instance: Promise<any> | undefined;
  return async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    instance ??= require('highs')();
    const highs = await instance;
    return (lp, options) => {
      try {
        return highs.solve(lp, options);
      } catch (e) {
        instance = undefined;
        throw e;
      }
    };
  };
}
