import { NotificationService } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { AnomalyRow, ShowbackStore } from '../database/ShowbackStore';

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The page of an entity in the catalog. */
function entityLink(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/**
 * Sends each new anomaly to its team through the Backstage notifications
 * plugin and marks it notified. Anomalies of entities with no team are kept
 * (listed by the API and the Fleet page) but not sent.
 */
export async function notifyAnomalies(options: {
  notifications: NotificationService;
  store: ShowbackStore;
  anomalies: AnomalyRow[];
  clock?: () => Date;
}): Promise<number> {
  const now = options.clock ?? (() => new Date());
  let sent = 0;
  for (const a of options.anomalies) {
    if (!a.teamRef) continue;
    const what = a.scope === 'team' ? 'Team cost' : `Cost of ${a.entityRef}`;
    await options.notifications.send({
      recipients: { type: 'entity', entityRef: a.teamRef },
      payload: {
        title: `${what} ${a.direction === 'spike' ? 'jumped' : 'dropped'} on ${
          a.day
        }: ${usd(a.costUsd)} against a usual ${usd(a.baselineUsd)}`,
        description: `ModelFleet found a daily cost ${Math.abs(a.score).toFixed(
          1,
        )} robust deviations ${
          a.direction === 'spike' ? 'above' : 'below'
        } the median of the days before.`,
        link: entityLink(a.entityRef),
        severity: a.direction === 'spike' ? 'high' : 'normal',
        topic: 'modelfleet-cost-anomaly',
        scope: `modelfleet-cost-anomaly:${a.scope}:${a.entityRef}:${a.day}`,
      },
    });
    await options.store.markNotified(a, now());
    sent += 1;
  }
  return sent;
}
