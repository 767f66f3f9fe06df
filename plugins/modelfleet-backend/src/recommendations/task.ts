import { NotificationService } from '@backstage/plugin-notifications-node';
import { ModelFleetTask } from '../tasks/TaskRegistry';
import { RecommendationsSettings, RECOMMENDATIONS_TASK_ID } from './config';
import { dollars } from './format';
import { notifyRecommendations } from './notifyRecommendations';
import { RecommendationService } from './RecommendationService';
import { RecommendationStateStore } from './RecommendationStateStore';

/**
 * The recommendations pass: gathers them afresh, sends the new ones worth
 * more than `notifyAboveUsd` to their teams, and forgets snoozes that ran
 * out. Its detail, shown by `GET /status`, counts them.
 */
export function createRecommendationsTask(options: {
  recommendations: RecommendationService;
  store: RecommendationStateStore;
  notifications: Pick<NotificationService, 'send'>;
  settings: RecommendationsSettings;
  now?: () => Date;
}): ModelFleetTask {
  const now = options.now ?? (() => new Date());
  return {
    id: RECOMMENDATIONS_TASK_ID,
    schedule: options.settings.schedule,
    async run() {
      options.recommendations.invalidate();
      const { findings, notes } = await options.recommendations.gather();
      const at = now();
      const sent = await notifyRecommendations({
        notifications: options.notifications,
        store: options.store,
        findings,
        aboveUsd: options.settings.notifyAboveUsd,
        now: at,
      });
      await options.store.deleteExpiredSnoozes(at);
      const total = findings.reduce(
        (sum, f) => sum + Math.max(0, f.monthlySavingUsd),
        0,
      );
      return `${findings.length} recommendation(s) worth ${dollars(
        total,
      )} a month; ${sent} sent to their teams${
        notes.length ? `; ${notes.length} note(s)` : ''
      }`;
    },
  };
}
