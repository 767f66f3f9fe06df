/** The run's load: scale, hibernate and wake requests on every model, asked of the replicas in turn, and replays of them. */
import { ModelInfo } from './actions';
import { capabilities, RunContext } from './context';
import { sleep } from './http';

/**
 * One worker per model asks for an action after another, each followed
 * until it ends, until stopped; now and then it sends a request again with
 * its Idempotency-Key.
 */
export class Load {
  private stopped = false;
  private workers: Promise<void>[] = [];
  readonly errors: string[] = [];
  /** Replays of a request with its Idempotency-Key, to the other replica. */
  readonly replays = { same: 0, different: [] as string[] };
  readonly lateReplays = new Map<number, number>();

  constructor(private readonly context: () => RunContext) {}

  /** One action on a model, chosen from what it may do now. */
  private async action(m: ModelInfo, n: number): Promise<void> {
    const ctx = this.context();
    const caps = await capabilities(ctx, m);
    if (!caps.workload) return;
    const desired = caps.replicas?.desired ?? 0;
    let kind: 'scale' | 'hibernate' | 'wake';
    let body: Record<string, unknown> = {};
    const top = Math.max(2, Math.min(3, m.initialReplicas));
    if (caps.wake.allowed) {
      kind = 'wake';
    } else if (caps.hibernate.allowed && Math.random() < 0.35) {
      kind = 'hibernate';
    } else {
      const counts = [1, 2, 3].filter(x => x <= top && x !== desired);
      kind = 'scale';
      body = { replicas: counts[Math.floor(Math.random() * counts.length)] };
    }
    const via = ctx.replicas.next();
    const t = await ctx.driver.request(m, kind, body, 'load', via);
    if (!t) return;
    // Now and then the same request again, with its key, to the other
    // replica: the same action must come back.
    if (n % 8 === 3) {
      const other = ctx.replicas.other(via);
      const header = t.key.split(':').slice(-1)[0];
      const r = await other
        .call('POST', `/models/default/${m.name}/${kind}`, body, {
          'Idempotency-Key': header,
        })
        .catch(() => undefined);
      if (r && r.status === 200 && r.body.id === t.id) this.replays.same++;
      else if (r)
        this.replays.different.push(
          `${t.id}: ${r.status} ${
            r.body?.id ?? JSON.stringify(r.body).slice(0, 120)
          }`,
        );
    }
    const a = await ctx.driver.waitFinal(t, 15 * 60_000);
    if (a && n % 8 === 5) {
      // The same request once the action has ended.
      const header = t.key.split(':').slice(-1)[0];
      const r = await ctx.replicas
        .next()
        .call('POST', `/models/default/${m.name}/${kind}`, body, {
          'Idempotency-Key': header,
        })
        .catch(() => undefined);
      if (r) {
        const status = r.status === 200 && r.body.id === t.id ? 200 : r.status;
        this.lateReplays.set(status, (this.lateReplays.get(status) ?? 0) + 1);
      }
    }
  }

  /** Starts a worker per model. */
  start(models: ModelInfo[]): void {
    this.workers = models.map(async (m, i) => {
      await sleep(i * 150);
      let n = 0;
      while (!this.stopped) {
        const k = n++;
        try {
          await this.context().locks.run(m.name, () =>
            this.stopped ? Promise.resolve() : this.action(m, k),
          );
        } catch (e) {
          this.errors.push(`${m.name}: ${(e as Error).message}`);
          if (this.errors.length > 50) throw e;
          await sleep(1_000);
        }
        await sleep(300 + Math.random() * 900);
      }
    });
  }

  /** Asks for no new action. */
  stop(): void {
    this.stopped = true;
  }

  /** Stops, and waits (at most 120 s) for the workers' running actions to end. */
  async drain(): Promise<void> {
    this.stopped = true;
    await Promise.race([Promise.all(this.workers), sleep(120_000)]);
  }
}
