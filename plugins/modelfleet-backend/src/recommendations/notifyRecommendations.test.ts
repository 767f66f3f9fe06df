import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { readRecommendationsConfig } from './config';
import { Finding } from './fromActions';
import { recommendationId } from './ids';
import { notifyRecommendations } from './notifyRecommendations';
import { RecommendationStateStore } from './RecommendationStateStore';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-06T12:00:00Z');

const finding = (
  modelRef: string,
  monthlySavingUsd: number,
  teamRef?: string,
): Finding => ({
  id: recommendationId('rightsizing', { modelRef }),
  kind: 'rightsizing',
  subject: { modelRef, ...(teamRef ? { teamRef } : {}) },
  title: `Run fewer replicas of ${modelRef}: 1 instead of 4`,
  monthlySavingUsd,
  disruption: { level: 'restart', podsAffected: 3, description: '3 stop' },
  confidence: { level: 'high', reason: '14 days' },
  evidence: ['It idles.'],
  source: {
    type: 'rightsizing',
    option: 'fewer-replicas',
    pool: 'p',
    replicas: 1,
    gpusPerReplica: 1,
  },
  applicable: { allowed: true },
});

describe('notifyRecommendations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sends each new recommendation above the amount to its team once, and again after a failed send, %p',
    async id => {
      const store = new RecommendationStateStore(
        (await DatabaseModelFleetStore.fromKnex(await databases.init(id))).knex,
      );
      const send = jest.fn(async () => {});
      const findings = [
        finding('model:default/reranker', 6570, 'group:default/search-team'),
        finding('model:default/small', 40, 'group:default/search-team'),
        finding('model:default/orphan', 9000),
      ];
      const run = () =>
        notifyRecommendations({
          notifications: { send },
          store,
          findings,
          aboveUsd: 500,
          now: NOW,
        });
      expect(await run()).toBe(1);
      expect(send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: 'group:default/search-team' },
        payload: expect.objectContaining({
          title:
            'Run fewer replicas of model:default/reranker: 1 instead of 4: saves $6,570 a month',
          link: '/catalog/default/model/reranker',
          topic: 'modelfleet-recommendation',
          scope: `modelfleet-recommendation:${findings[0].id}`,
        }),
      });
      // The next pass (on this replica or another) sends nothing again.
      expect(await run()).toBe(0);
      expect(send).toHaveBeenCalledTimes(1);

      // A send that fails gives its claim back for the next pass.
      const other = [
        finding('model:default/chat', 800, 'group:default/assistant-team'),
      ];
      const failing = jest.fn(async () => {
        throw new Error('notifications are down');
      });
      await expect(
        notifyRecommendations({
          notifications: { send: failing },
          store,
          findings: other,
          aboveUsd: 500,
          now: NOW,
        }),
      ).rejects.toThrow('notifications are down');
      expect(
        await notifyRecommendations({
          notifications: { send },
          store,
          findings: other,
          aboveUsd: 500,
          now: NOW,
        }),
      ).toBe(1);
    },
  );
});

describe('readRecommendationsConfig', () => {
  it('defaults to every 15 minutes and $500, and names a bad amount', () => {
    expect(readRecommendationsConfig(mockServices.rootConfig())).toEqual({
      schedule: {
        frequency: { minutes: 15 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 2 },
      },
      notifyAboveUsd: 500,
    });
    expect(
      readRecommendationsConfig(
        mockServices.rootConfig({
          data: {
            modelfleet: {
              recommendations: {
                notifyAboveUsd: 1000,
                schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
              },
            },
          },
        }),
      ),
    ).toEqual({
      schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
      notifyAboveUsd: 1000,
    });
    expect(() =>
      readRecommendationsConfig(
        mockServices.rootConfig({
          data: { modelfleet: { recommendations: { notifyAboveUsd: -1 } } },
        }),
      ),
    ).toThrow(
      'Invalid app-config at modelfleet.recommendations.notifyAboveUsd: must be a number of dollars, 0 or more, got -1',
    );
    expect(() =>
      readRecommendationsConfig(
        mockServices.rootConfig({
          data: { modelfleet: { recommendations: { notifyAboveUsd: 'lots' } } },
        }),
      ),
    ).toThrow(/modelfleet\.recommendations\.notifyAboveUsd/);
  });
});
