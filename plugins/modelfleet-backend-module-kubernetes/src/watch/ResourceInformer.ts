import { STATUS_CODES } from 'node:http';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ERROR,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';

/**
 * How an informer retries and when it gives up waiting.
 *
 * @public
 */
export interface InformerTiming {
  /** Delay before the first retry after a failure; doubles up to `maxBackoffMs`. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A list that has not answered by then is aborted and retried. */
  listTimeoutMs: number;
  /**
   * How often an optional resource that is not served (404), or may not be
   * read (403, where that is allowed), is looked for again.
   */
  absentRecheckMs: number;
  /**
   * A watch the server ends sooner than this counts as dropped, and is
   * re-watched after a backoff rather than at once.
   */
  minWatchMs: number;
}

/** What an informer knows about its own health. */
export interface InformerState {
  resource: string;
  /** The cache has held a complete list at least once. */
  synced: boolean;
  /**
   * An optional resource the API server does not serve (CRD not
   * installed), or one the connector may not read (403, where allowed).
   */
  absent: boolean;
  /** The failure in progress: since when, and the last error. */
  failure?: { message: string; since: number };
}

/** The HTTP status of an error of the client, a watch, or a watch ERROR event. */
export function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | undefined;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}

/** The `message` of a Kubernetes Status body, as an object or JSON text. */
function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const text = (value as { message?: unknown } | undefined)?.message;
  return typeof text === 'string' && text ? text : undefined;
}

/**
 * A short description of an error of the client: `503 Service Unavailable`
 * (with the Status message, if any) for an HTTP status, else the message.
 */
export function describeKubernetesError(error: unknown): string {
  const status = statusOf(error);
  if (status !== undefined) {
    const reason = STATUS_CODES[status] ?? 'Error';
    const detail = statusMessage((error as { body?: unknown }).body);
    return detail && detail !== reason
      ? `${status} ${reason}: ${detail}`
      : `${status} ${reason}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** An error from the Status object of a watch ERROR event. */
function watchEventError(status: unknown): Error {
  const s = status as { code?: unknown; message?: unknown } | undefined;
  const error = new Error(
    typeof s?.message === 'string' ? s.message : 'watch ERROR event',
  );
  return Object.assign(error, {
    ...(typeof s?.code === 'number' ? { statusCode: s.code } : {}),
    body: status,
  });
}

/** The statuses of a list that make an informer's resource absent, not failed. */
function absentStatuses(options: {
  optional?: boolean;
  forbiddenIsAbsent?: boolean;
}): number[] {
  return [
    ...(options.optional ? [404] : []),
    ...(options.forbiddenIsAbsent ? [403] : []),
  ];
}

/** Makes ListWatch throw its resourceVersion away and list again. */
const relist = () => Object.assign(new Error('410 Gone'), { statusCode: 410 });

interface WatchHooks {
  /** The statuses of a watch that mean the resource is gone: list again. */
  absentStatuses: readonly number[];
  minWatchMs: number;
  now(): number;
  /** ListWatch asks for a watch: its cache holds a complete list. */
  starting(): void;
  /** The API server accepted the watch. */
  connected(controller: AbortController): void;
  ended(controller: AbortController): void;
}

/**
 * The client's Watch, made safe for ListWatch:
 *
 * - a watch ERROR event ends the watch (with 410 Gone, ListWatch lists
 *   again), whether or not the server then closes the stream;
 * - a watch the server ends too soon is reported as dropped, so it is
 *   re-watched after a backoff instead of in a tight loop;
 * - a 404 on the watch of an optional resource (or a 403, where that is
 *   allowed) makes ListWatch list again, which tells whether it is still
 *   served and readable;
 * - ListWatch hears of the end only after `watch()` returned, so the
 *   request it keeps is always the current one.
 */
class InformerWatch extends Watch {
  constructor(config: KubeConfig, private readonly hooks: WatchHooks) {
    super(config);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    const { hooks } = this;
    hooks.starting();
    const startedAt = hooks.now();
    let controller: AbortController | undefined;
    let finished = false;
    const finish = (error: unknown) => {
      if (finished) return;
      finished = true;
      if (controller) {
        controller.abort();
        hooks.ended(controller);
      }
      setImmediate(() => done(error));
    };
    const onEvent = (phase: string, object: any, watchObj?: any) => {
      if (finished) return;
      if (phase === 'ERROR') {
        finish(watchEventError(object));
        return;
      }
      callback(phase, object, watchObj);
    };
    const onDone = (error: unknown) => {
      if (finished) return;
      if (!error) {
        const lasted = hooks.now() - startedAt;
        finish(
          lasted < hooks.minWatchMs
            ? new Error(`the server closed the watch after ${lasted} ms`)
            : null,
        );
      } else if (hooks.absentStatuses.includes(statusOf(error) ?? 0)) {
        finish(relist());
      } else {
        finish(error);
      }
    };
    try {
      controller = await super.watch(path, queryParams, onEvent, onDone);
    } catch (error) {
      // e.g. a CA file that cannot be read
      finish(error);
      return new AbortController();
    }
    if (finished) controller.abort();
    else hooks.connected(controller);
    return controller;
  }
}

/** @internal */
export interface ResourceInformerOptions<T extends KubernetesObject> {
  cluster: string;
  /** Plural resource name for messages, e.g. `nodes`. */
  resource: string;
  /** API path of the collection, e.g. `/api/v1/nodes`. */
  path: string;
  kubeConfig: KubeConfig;
  /** Lists the collection; the signal aborts the request. */
  list(signal: AbortSignal): Promise<KubernetesListObject<T>>;
  fieldSelector?: string;
  /** A 404 on the list means "not installed" (a CRD), not a failure. */
  optional?: boolean;
  /**
   * A 403 on the list means the connector may not read the resource (RBAC
   * that does not grant it), not a failure: it is left out, like an
   * optional resource that is not installed.
   */
  forbiddenIsAbsent?: boolean;
  timing: InformerTiming;
  logger: LoggerService;
  now(): number;
}

/**
 * A cache of one Kubernetes collection kept by the client's ListWatch (one
 * list, then a watch from its resourceVersion), that retries with backoff
 * whatever ListWatch gives up on, and knows whether it can be trusted.
 *
 * @internal
 */
export class ResourceInformer<T extends KubernetesObject> {
  private readonly listWatch: ListWatch<T>;
  private readonly watches = new Set<AbortController>();
  private running = false;
  private synced = false;
  private absent = false;
  private phase: 'list' | 'watch' = 'list';
  private failure?: { message: string; since: number };
  private attempts = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private stopSignal = new AbortController();
  private syncWaiters = new Set<() => void>();

  constructor(private readonly options: ResourceInformerOptions<T>) {
    const watch = new InformerWatch(options.kubeConfig, {
      absentStatuses: absentStatuses(options),
      minWatchMs: options.timing.minWatchMs,
      now: options.now,
      starting: () => {
        this.phase = 'watch';
        this.markSynced();
      },
      connected: controller => {
        if (!this.running) {
          controller.abort();
          return;
        }
        this.watches.add(controller);
        if (this.failure) {
          this.options.logger.info(
            `Kubernetes cluster ${options.cluster}: ${options.resource} are watched again`,
          );
        }
        this.failure = undefined;
        this.attempts = 0;
      },
      ended: controller => this.watches.delete(controller),
    });
    this.listWatch = new ListWatch<T>(
      options.path,
      watch,
      () => this.listFromServer(),
      false,
      undefined,
      options.fieldSelector,
    );
    this.listWatch.on(ERROR, error => this.onError(error));
  }

  /** Starts listing and watching; does nothing when already started. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopSignal = new AbortController();
    this.restart();
  }

  /** Stops the watch and any retry; the cache stays as it was. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopSignal.abort();
    await this.listWatch.stop();
    for (const controller of this.watches) controller.abort();
    this.watches.clear();
    for (const wake of this.syncWaiters) wake();
  }

  /** The cached objects; none for an optional resource that is not served. */
  items(): T[] {
    return this.absent ? [] : [...this.listWatch.list()];
  }

  state(): InformerState {
    return {
      resource: this.options.resource,
      synced: this.synced,
      absent: this.absent,
      ...(this.failure ? { failure: { ...this.failure } } : {}),
    };
  }

  /** Resolves once synced, stopped, or after `timeoutMs`, whichever is first. */
  async waitForSync(timeoutMs: number): Promise<void> {
    if (this.synced || !this.running) return;
    await new Promise<void>(resolve => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      const wake = () => {
        clearTimeout(timer);
        this.syncWaiters.delete(wake);
        resolve();
      };
      timer = setTimeout(wake, timeoutMs);
      this.syncWaiters.add(wake);
    });
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const wake of this.syncWaiters) wake();
  }

  private restart(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    this.listWatch.start().catch(error => this.onError(error));
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.restart(), delayMs);
    this.timer.unref?.();
  }

  private async listFromServer(): Promise<KubernetesListObject<T>> {
    this.phase = 'list';
    const { listTimeoutMs } = this.options.timing;
    const timeout = AbortSignal.timeout(listTimeoutMs);
    try {
      const list = await this.options.list(
        AbortSignal.any([this.stopSignal.signal, timeout]),
      );
      this.absent = false;
      return list;
    } catch (error) {
      if (timeout.aborted && !this.stopSignal.signal.aborted) {
        throw new Error(`no answer within ${listTimeoutMs} ms`);
      }
      throw error;
    }
  }

  /** ListWatch gave up on a list or a watch: note it and try again later. */
  private onError(error: unknown): void {
    if (!this.running) return;
    const { cluster, resource, logger, timing } = this.options;
    const status = statusOf(error) ?? 0;
    if (
      this.phase === 'list' &&
      absentStatuses(this.options).includes(status)
    ) {
      if (!this.absent) {
        logger.info(
          status === 404
            ? `Kubernetes cluster ${cluster}: ${resource} are not served (404), taken as not installed`
            : `Kubernetes cluster ${cluster}: ${resource} may not be listed (403 Forbidden), so they are left out; grant list and watch of them to read them`,
        );
      }
      this.absent = true;
      this.failure = undefined;
      this.attempts = 0;
      this.markSynced();
      this.schedule(timing.absentRecheckMs);
      return;
    }
    const message = `${
      this.phase
    } ${resource} failed: ${describeKubernetesError(error)}`;
    if (!this.failure) {
      logger.warn(`Kubernetes cluster ${cluster}: ${message}; retrying`);
    }
    this.failure = {
      message,
      since: this.failure?.since ?? this.options.now(),
    };
    const backoff = Math.min(
      timing.maxBackoffMs,
      timing.initialBackoffMs * 2 ** this.attempts,
    );
    this.attempts += 1;
    // Jitter, so that the informers of a cluster that is back do not all
    // come at once.
    this.schedule(backoff * (0.8 + Math.random() * 0.4));
  }
}
