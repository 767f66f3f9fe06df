import {
  RecommendationKind,
  RecommendationSubject,
} from '@modelfleet/plugin-modelfleet-common';
import { createHash } from 'node:crypto';

/** What a recommendation id looks like: its kind, a dash, 16 hex digits. */
export const RECOMMENDATION_ID = /^[a-z-]{1,20}-[0-9a-f]{16}$/;

/**
 * A recommendation's id, stable across passes: a hash of its kind, its
 * subject's model and pool, and what it proposes (`variant`), so the same
 * finding keeps its id, and a person's dismissal or snooze holds, however
 * often the loops plan it again.
 */
export function recommendationId(
  kind: RecommendationKind,
  subject: Pick<RecommendationSubject, 'modelRef' | 'poolRef'>,
  variant = '',
): string {
  const hash = createHash('sha256')
    .update(
      [kind, subject.modelRef ?? '', subject.poolRef ?? '', variant].join('\n'),
    )
    .digest('hex');
  return `${kind}-${hash.slice(0, 16)}`;
}
