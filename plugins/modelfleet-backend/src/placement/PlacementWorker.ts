import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import {
  PlaceOptions,
  placeModels,
  PlacementPool,
  PlacementRequest,
  PlacementResult,
} from '../engines/placement';
import { createHighsLoader } from './highs';

/** Settings of one placement, less the solver (the worker has its own). */
export type PlacementRunOptions = Omit<PlaceOptions, 'solve'>;

/** Runs {@link placeModels} somewhere, and answers with its result. */
export interface PlacementRunner {
  place(
    requests: PlacementRequest[],
    pools: PlacementPool[],
    options?: PlacementRunOptions,
  ): Promise<PlacementResult>;
}

/** Marks the worker's data, so that only a worker started here serves. */
const MARK = 'modelfleetPlacementWorker';

interface Job {
  id: number;
  requests: PlacementRequest[];
  pools: PlacementPool[];
  options: PlacementRunOptions;
}
type Answer =
  | { id: number; result: PlacementResult }
  | { id: number; error: string };

/**
 * The worker's entry: loads this module (TypeScript under jest or
 * `backstage-cli package start`, which the worker's parent may not have
 * registered for it; compiled JavaScript in a built backend).
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const { Module } = require('node:module');
if (workerData.tsHook && !Module._extensions['.ts']) require(workerData.tsHook);
require(workerData.entry);
`;

/**
 * Runs {@link placeModels} in a worker thread, off the event loop of the
 * backend: one worker, started on the first placement, with HiGHS loaded
 * once in it. Placements queue and run one at a time; an error in a
 * placement rejects its promise with the error's message, and a worker that
 * dies rejects what was queued and is started again for the next one.
 */
export class PlacementWorker implements PlacementRunner {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: PlacementResult) => void; reject: (e: Error) => void }
  >();
  private closed = false;

  place(
    requests: PlacementRequest[],
    pools: PlacementPool[],
    options: PlacementRunOptions = {},
  ): Promise<PlacementResult> {
    if (this.closed) {
      return Promise.reject(new Error('the placement worker is closed'));
    }
    return new Promise<PlacementResult>((resolve, reject) => {
      // A worker that cannot start, or a job that cannot be copied to it,
      // rejects this placement.
      const worker = this.start();
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      try {
        worker.ref();
        const job: Job = { id, requests, pools, options };
        worker.postMessage(job);
      } catch (e) {
        this.pending.delete(id);
        if (!this.pending.size) worker.unref();
        throw e;
      }
    });
  }

  /** Stops the worker; queued placements are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the placement worker is closed'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = __filename;
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: {
        [MARK]: true,
        entry,
        tsHook: /\.[cm]?ts$/.test(entry)
          ? require.resolve('@backstage/cli-node/config/nodeTransform.cjs')
          : undefined,
      },
    });
    worker.on('message', (a: Answer) => {
      const p = this.pending.get(a.id);
      if (!p) return;
      this.pending.delete(a.id);
      if ('error' in a) p.reject(new Error(a.error));
      else p.resolve(a.result);
      if (!this.pending.size) worker.unref();
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new Error(`the placement worker stopped: ${why}`));
    };
    worker.on('error', (e: Error) => lost(e.message));
    worker.on('exit', code => lost(`exit code ${code}`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failAll(e: Error) {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }
}

/** Answers placements in the worker, one at a time. */
function serve() {
  const solver = createHighsLoader();
  let queue = Promise.resolve();
  parentPort!.on('message', (job: Job) => {
    queue = queue.then(async () => {
      let answer: Answer;
      try {
        const solve = await solver();
        answer = {
          id: job.id,
          result: placeModels(job.requests, job.pools, {
            ...job.options,
            solve,
          }),
        };
      } catch (e) {
        answer = { id: job.id, error: (e as Error)?.message ?? String(e) };
      }
      parentPort!.postMessage(answer);
    });
  });
}

if (!isMainThread && workerData?.[MARK]) serve();
