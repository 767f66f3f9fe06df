import { ActionView, Backend, isFinal, Replicas } from './backends';
import { NoAnswerError, sleep } from './http';

/** A demo model as the run drives it. */
export interface ModelInfo {
  name: string;
  cluster: string;
  clusterIndex: number;
  namespace: string;
  /** Replicas when the run started. */
  initialReplicas: number;
  hasAutoscaler: boolean;
}

/** An action the driver asked for. */
export interface Tracked {
  id: string;
  /** The stored idempotency key (`<kind>:<entity>:<Idempotency-Key>`). */
  key: string;
  model: ModelInfo;
  kind: string;
  phase: string;
  via: string;
  requestedAt: number;
  finishedAt?: number;
  final?: ActionView;
}

/** Runs one function at a time per key (a model): FIFO. */
export class Locks {
  private tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const tail = this.tails.get(key) ?? Promise.resolve();
    const result = tail.then(fn, fn);
    this.tails.set(
      key,
      result.catch(() => undefined),
    );
    return result;
  }
}

/** Asks for actions and follows them until they end. */
export class ActionDriver {
  readonly tracked = new Map<string, Tracked>();
  /** Requests the backend refused (409: not now, or another action in flight). */
  refused = 0;
  /** POSTs that got no answer and were sent again with the same key. */
  resent = 0;
  private seq = 0;

  constructor(private readonly replicas: Replicas) {}

  /**
   * POSTs a scale, hibernate or wake of a model with a new Idempotency-Key;
   * when a replica does not answer (killed, say), sends the same request
   * with the same key to the other replica, and when that one says 409,
   * looks the key up: the first may have stored it. Returns the action, or
   * undefined when the backend refused the request.
   */
  async request(
    model: ModelInfo,
    kind: 'scale' | 'hibernate' | 'wake',
    body: Record<string, unknown>,
    phase: string,
    via?: Backend,
  ): Promise<Tracked | undefined> {
    const header = `rt-${phase}-${++this.seq}`;
    const key = `${kind}:model:default/${model.name}:${header}`;
    let b = via && via.up ? via : this.replicas.next();
    let unsure = false;
    for (let attempt = 0; attempt < 6; attempt++) {
      let r;
      try {
        r = await b.call<ActionView>(
          'POST',
          `/models/default/${model.name}/${kind}`,
          { ...body, reason: `yarn test:replicas (${phase})` },
          { 'Idempotency-Key': header },
        );
      } catch (e) {
        if (!(e instanceof NoAnswerError)) throw e;
        unsure = true;
        this.resent++;
        await sleep(300 * (attempt + 1));
        b = this.replicas.other(b);
        continue;
      }
      if (r.status === 201 || r.status === 200) {
        return this.track(r.body, model, phase, b.label);
      }
      if (r.status === 409) {
        if (unsure) {
          const found = await this.findByKey(model, key);
          if (found) return this.track(found, model, phase, b.label);
        }
        this.refused++;
        return undefined;
      }
      if (r.status >= 500) {
        unsure = true;
        this.resent++;
        await sleep(300 * (attempt + 1));
        b = this.replicas.other(b);
        continue;
      }
      throw new Error(
        `POST ${kind} of ${model.name} via ${b.label}: ${
          r.status
        } ${JSON.stringify(r.body).slice(0, 400)}`,
      );
    }
    const found = await this.findByKey(model, key);
    if (found) return this.track(found, model, phase, b.label);
    throw new Error(
      `POST ${kind} of ${model.name}: no replica answered (key ${key})`,
    );
  }

  private track(
    a: ActionView,
    model: ModelInfo,
    phase: string,
    via: string,
  ): Tracked {
    const known = this.tracked.get(a.id);
    if (known) return known;
    const t: Tracked = {
      id: a.id,
      key: a.idempotencyKey,
      model,
      kind: a.kind,
      phase,
      via,
      requestedAt: Date.now(),
    };
    this.tracked.set(a.id, t);
    return t;
  }

  async findByKey(
    model: ModelInfo,
    key: string,
  ): Promise<ActionView | undefined> {
    const r = await this.replicas.read<{ actions: ActionView[] }>(
      `/actions?entity=${encodeURIComponent(
        `model:default/${model.name}`,
      )}&limit=200`,
    );
    return r.body.actions?.find(a => a.idempotencyKey === key);
  }

  async get(id: string): Promise<ActionView> {
    const r = await this.replicas.read<ActionView>(`/actions/${id}`);
    if (r.status !== 200) {
      throw new Error(`GET /actions/${id}: ${r.status}`);
    }
    return r.body;
  }

  /** Follows an action until it ends; undefined when `timeoutMs` passed first. */
  async waitFinal(
    t: Tracked,
    timeoutMs: number,
    everyMs = 400,
  ): Promise<ActionView | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      let a: ActionView | undefined;
      try {
        a = await this.get(t.id);
      } catch {
        // both replicas busy or one restarting: look again
      }
      if (a && isFinal(a)) {
        t.final = a;
        t.finishedAt ??= Date.now();
        return a;
      }
      await sleep(everyMs);
    }
    return undefined;
  }
}
