import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { Finding } from './fromActions';
import { dollars } from './format';
import { RecommendationStateStore } from './RecommendationStateStore';

/** The catalog page of an entity. */
function entityLink(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/**
 * Sends each new recommendation worth more than `aboveUsd` a month to its
 * owning team through the Backstage notifications plugin, once: the claim
 * in the store makes one replica send it, and a failed send gives the
 * claim back for the next pass. Recommendations with no team (empty
 * capacity) are not sent. Returns how many were sent.
 */
export async function notifyRecommendations(options: {
  notifications: Pick<NotificationService, 'send'>;
  store: RecommendationStateStore;
  findings: Finding[];
  aboveUsd: number;
  now: Date;
}): Promise<number> {
  const { notifications, store, aboveUsd, now } = options;
  let sent = 0;
  for (const f of options.findings) {
    const team = f.subject.teamRef;
    if (!team || f.monthlySavingUsd <= aboveUsd) continue;
    if (!(await store.claimNotice(f.id, team, f.monthlySavingUsd, now))) {
      continue;
    }
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: team },
        payload: {
          title: `${f.title}: saves ${dollars(f.monthlySavingUsd)} a month`,
          description: [
            ...f.evidence,
            `Disruption: ${f.disruption.description}. Confidence: ${f.confidence.level} (${f.confidence.reason}).`,
          ].join(' '),
          link: entityLink(f.subject.modelRef ?? team),
          severity: 'normal',
          topic: 'modelfleet-recommendation',
          scope: `modelfleet-recommendation:${f.id}`,
        },
      });
      sent += 1;
    } catch (e) {
      await store.releaseNotice(f.id);
      throw e;
    }
  }
  return sent;
}
