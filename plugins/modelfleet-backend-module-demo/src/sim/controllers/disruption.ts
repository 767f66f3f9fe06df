import { budgetStatus } from '../disruption';
import { storeControllerScale } from '../eviction';
import { ClusterContext } from './context';
import { Controller } from './manager';

const MANAGER = 'kube-controller-manager';

/**
 * The disruption controller: keeps each PodDisruptionBudget's status
 * (`observedGeneration`, `expectedPods`, `currentHealthy`,
 * `desiredHealthy`, `disruptionsAllowed` and the `DisruptionAllowed`
 * condition, reason `SufficientPods` or `InsufficientPods`) as the real
 * one computes it, for the readers of budgets. The eviction subresource
 * does not read this status: it computes the same numbers at the request
 * (deletion is immediate here, so there are no `disruptedPods` to track).
 * A budget whose percentage is not one keeps its status, as the real
 * controller fails its sync.
 */
export class DisruptionController implements Controller {
  readonly name = 'disruption';
  private readonly scaleOf;

  constructor(private readonly ctx: ClusterContext) {
    this.scaleOf = storeControllerScale(ctx.store);
  }

  reconcile(): void {
    const { store } = this.ctx;
    const type = store.type('policy/v1', 'PodDisruptionBudget');
    const budgets = store.list(type);
    if (budgets.length === 0) return;
    const pods = store.list(this.ctx.types.pod);
    for (const budget of budgets) {
      let status;
      try {
        status = budgetStatus(budget, pods, this.scaleOf);
      } catch {
        continue;
      }
      const allowed = status.disruptionsAllowed > 0 ? 'True' : 'False';
      const generation = budget.metadata.generation ?? 1;
      const old = (budget.status?.conditions ?? []).find(
        (c: any) => c.type === 'DisruptionAllowed',
      );
      const condition = {
        type: 'DisruptionAllowed',
        status: allowed,
        observedGeneration: generation,
        lastTransitionTime:
          old?.status === allowed ? old.lastTransitionTime : this.ctx.time(),
        reason: allowed === 'True' ? 'SufficientPods' : 'InsufficientPods',
        message: '',
      };
      this.ctx.modify(
        type,
        budget,
        MANAGER,
        draft => {
          draft.status = {
            ...draft.status,
            observedGeneration: generation,
            ...status,
            conditions: [
              ...(draft.status?.conditions ?? []).filter(
                (c: any) => c.type !== 'DisruptionAllowed',
              ),
              condition,
            ],
          };
        },
        'status',
      );
    }
  }
}
