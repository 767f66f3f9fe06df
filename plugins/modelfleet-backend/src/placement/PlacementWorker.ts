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
import {
  consolidate,
  ConsolidateOptions,
  ConsolidationInput,
  ConsolidationResult,
} from '../engines/rightsizing';
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

/** Settings of one consolidation, less the solver. */
export type ConsolidationRunOptions = Omit<ConsolidateOptions, 'solve'>;

/** Runs {@link consolidate} somewhere, and answers with its result. */
export interface ConsolidationRunner {
  consolidate(
    input: ConsolidationInput,
    options?: ConsolidationRunOptions,
  ): Promise<ConsolidationResult>;
}

/**
 * A {@link ConsolidationRunner} in this process, with HiGHS loaded on first
 * use: for tests and tools; the backend runs consolidations in its
 * {@link PlacementWorker}.
 */
export function inProcessConsolidator(
  loader = createHighsLoader(),
): ConsolidationRunner {
  return {
    async consolidate(input, options = {}) {
      return consolidate(input, { ...options, solve: await loader() });
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown
  ? Omit<T, K>
  : never;

/** Marks the worker's data, so that only a worker started here serves. */
const MARK = 'modelfleetPlacementWorker';

type Job =
  | {
      id: number;
      op: 'place';
      requests: PlacementRequest[];
      pools: PlacementPool[];
      options: PlacementRunOptions;
    }
  | {
      id: number;
      op: 'consolidate';
      input: ConsolidationInput;
      options: ConsolidationRunOptions;
    };
type Answer =
  | { id: number; result: PlacementResult | ConsolidationResult }
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
 * Runs {@link placeModels} (and {@link consolidate}, which re-places the
 * running fleet) in a worker thread, off the event loop of the backend: one
 * worker, started on the first placement, with HiGHS loaded once in it.
 * Placements and consolidations queue and run one at a time; an error in a
 * placement rejects its promise with the error's message, and a worker that
 * dies rejects what was queued and is started again for the next one.
 */
export class PlacementWorker implements PlacementRunner, ConsolidationRunner {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    {
      resolve: (r: PlacementResult | ConsolidationResult) => void;
      reject: (e: Error) => void;
    }
  >();
  private closed = false;

  place(
    requests: PlacementRequest[],
    pools: PlacementPool[],
    options: PlacementRunOptions = {},
  ): Promise<PlacementResult> {
    return this.run<PlacementResult>({ op: 'place', requests, pools, options });
  }

  /** Runs {@link consolidate} in the worker, queued with the placements. */
  consolidate(
    input: ConsolidationInput,
    options: ConsolidationRunOptions = {},
  ): Promise<ConsolidationResult> {
    return this.run<ConsolidationResult>({ op: 'consolidate', input, options });
  }

  private run<R>(job: DistributiveOmit<Job, 'id'>): Promise<R> {
    if (this.closed) {
      return Promise.reject(new Error('the placement worker is closed'));
    }
    return new Promise<R>((resolve, reject) => {
      // A worker that cannot start, or a job that cannot be copied to it,
      // rejects this placement.
      const worker = this.start();
      const id = this.nextId++;
      this.pending.set(id, {
        resolve: r => resolve(r as R),
        reject,
      });
      try {
        worker.ref();
        worker.postMessage({ ...job, id } as Job);
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
          result:
            job.op === 'place'
              ? placeModels(job.requests, job.pools, { ...job.options, solve })
              : consolidate(job.input, { ...job.options, solve }),
        };
      } catch (e) {
        answer = { id: job.id, error: (e as Error)?.message ?? String(e) };
      }
      parentPort!.postMessage(answer);
    });
  });
}

if (!isMainThread && workerData?.[MARK]) serve();
