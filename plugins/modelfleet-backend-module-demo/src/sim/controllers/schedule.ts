import { DemoModel, replicasAt } from '../../definition';
import { SimTimer } from '../clock';
import { ClusterContext } from './context';
import { Controller } from './manager';

/**
 * The demo's schedules (office hours, recurring bursts), as a company's
 * cron jobs would run them: at each change of a model's scheduled
 * replicas, its Deployment is scaled to them; in between, whoever scales
 * it (ModelFleet, a person) is left alone.
 */
export class ScheduleController implements Controller {
  readonly name = 'schedule';
  private readonly applied = new Map<string, number>();
  private timer?: SimTimer;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly models: DemoModel[],
    private readonly kick: () => void,
  ) {
    // What the start state was built with counts as applied.
    const at = new Date(ctx.clock.now());
    for (const m of this.scheduled())
      this.applied.set(m.id, replicasAt(m.deployment!, at));
  }

  private scheduled() {
    return this.models.filter(m => m.deployment?.schedule);
  }

  reconcile(): void {
    const now = this.ctx.clock.now();
    const at = new Date(now);
    for (const m of this.scheduled()) {
      const want = replicasAt(m.deployment!, at);
      if (this.applied.get(m.id) === want) continue;
      const d = this.ctx.store.get(
        this.ctx.types.deployment,
        m.namespace,
        m.id,
      );
      if (d && d.spec?.replicas !== want) {
        this.ctx.modify(
          this.ctx.types.deployment,
          d,
          'demo-schedule',
          draft => {
            draft.spec.replicas = want;
          },
          'scale',
        );
      }
      this.applied.set(m.id, want);
    }
    // Schedules change on the hour.
    const next = (Math.floor(now / 3600_000) + 1) * 3600_000;
    if (
      this.scheduled().length > 0 &&
      (!this.timer || this.timer.due !== next)
    ) {
      this.ctx.clock.clearTimeout(this.timer);
      this.timer = this.ctx.clock.at(next, () => {
        this.timer = undefined;
        this.kick();
      });
    }
  }

  stop(): void {
    this.ctx.clock.clearTimeout(this.timer);
  }
}
