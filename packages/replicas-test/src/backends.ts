import { DRIVER_TOKEN } from './environment';
import { Answer, NoAnswerError, request, sleep } from './http';
import { Proc } from './processes';

/** An action as the REST API answers it (the fields the run reads). */
export interface ActionView {
  id: string;
  idempotencyKey: string;
  kind: string;
  entityRef: string;
  cluster: string;
  state: string;
  stepIndex: number;
  steps: Array<{
    do: {
      op: string;
      objects?: unknown[];
      timeoutSeconds?: number;
      replicas?: number;
      workload?: { namespace: string; kind: string; name: string };
    };
    undo?: unknown;
  }>;
  lastError?: string;
  leaseOwner?: string;
  leaseExpiresAt?: string;
  dryRun?: boolean;
  requestedBy?: string;
  createdAt: string;
  updatedAt: string;
  events?: Array<{
    at: string;
    from: string | null;
    to: string;
    step?: number;
    actor: string;
    outcome: string;
    message: string;
  }>;
}

export const FINAL = ['done', 'rolledBack', 'failed', 'cancelled'];
export const isFinal = (a: { state: string }) => FINAL.includes(a.state);

/** One backend replica: its process, URL and action loop owner name. */
export class Backend {
  owner?: string;
  /** Every owner name it had (a restart gives a new one). */
  readonly owners: string[] = [];
  up = false;
  proc?: Proc;

  constructor(readonly index: number, readonly url: string) {}

  get label() {
    return `replica-${this.index + 1}`;
  }

  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer<T>> {
    return request<T>(`${this.url}/api/modelfleet${path}`, {
      method,
      token: DRIVER_TOKEN,
      body,
      headers,
      timeoutMs: 20_000,
    });
  }
}

/** The two replicas, used in turn; a replica that is down is skipped. */
export class Replicas {
  private turn = 0;

  constructor(readonly all: Backend[]) {}

  /** The next replica that is up, in turn. */
  next(): Backend {
    for (let i = 0; i < this.all.length; i++) {
      const b = this.all[this.turn++ % this.all.length];
      if (b.up) return b;
    }
    throw new NoAnswerError('no replica is up');
  }

  other(b: Backend): Backend {
    const o = this.all.find(x => x !== b && x.up);
    return o ?? b;
  }

  byOwner(owner: string | undefined): Backend | undefined {
    return owner ? this.all.find(b => b.owners.includes(owner)) : undefined;
  }

  /**
   * A read that any replica may answer: tried on the next replica that is
   * up, then on the other, a few times.
   */
  async read<T = any>(path: string): Promise<Answer<T>> {
    let last: unknown;
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        const b = this.next();
        const r = await b.call<T>('GET', path);
        if (r.status < 500) return r;
        last = new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      } catch (e) {
        last = e;
      }
      await sleep(250 * (attempt + 1));
    }
    throw last;
  }
}
