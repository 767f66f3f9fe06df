import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { start } from '../recommendations/__testUtils__/routeFixture';

jest.setTimeout(60_000);

const sam = mockCredentials.user.header('user:default/sam');
const pat = mockCredentials.user.header('user:default/pat');

describe('POST /recommendations/:id/apply of a consolidation', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'makes a consolidate action on the pool (cordon, drain, no wait for an empty node) that waits for approval under the platform’s dry-run default, once a day, for the pool’s owners only, %p',
    async id => {
      const { server, actions } = await start(id, databases, { nodes: true });
      const items = (
        await request(server).get('/recommendations').set('Authorization', pat)
      ).body.items;
      const rec = items.find((r: any) => r.kind === 'consolidation');
      expect(rec).toMatchObject({
        title: 'Remove the empty node a100-6 of a100 (c1)',
        subject: { poolRef: 'gpupool:default/c1.a100' },
        source: {
          type: 'consolidation',
          cluster: 'c1',
          nodes: ['a100-6'],
          teams: [],
        },
        applicable: { allowed: true },
      });
      expect(rec.evidence).toContain(
        'Apply cordons a100-6, then evicts any model pod placed there meanwhile within their PodDisruptionBudgets, one node at a time; the scheduler places the pods again, and the cluster autoscaler removes the emptied nodes.',
      );

      // A search-team member does not own the pool.
      const refused = await request(server)
        .post(`/recommendations/${rec.id}/apply`)
        .set('Authorization', sam);
      expect(refused.status).toBe(403);

      const res = await request(server)
        .post(`/recommendations/${rec.id}/apply`)
        .set('Authorization', pat);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        actionState: 'planned',
        actionKind: 'consolidate',
        awaitsApproval: true,
        message:
          "Emptying node a100-6 of A100 on a100 (c1) waits for approval: the platform's policy, or that of a team whose pods move, is dry-run. Approve it under Node consolidations on the ModelFleet page.",
      });
      const action = await actions.get(res.body.actionId);
      expect(action).toMatchObject({
        kind: 'consolidate',
        entityRef: 'gpupool:default/c1.a100',
        cluster: 'c1',
        dryRun: true,
        requestedBy: 'user:default/pat',
        // What the savings ledger counts the pool's nodes against.
        consolidation: {
          pool: { ref: 'gpupool:default/c1.a100', title: 'a100 (c1)' },
          nodes: ['a100-6'],
          nodesBefore: 7,
        },
      });
      expect(action!.steps.map(s => s.do)).toEqual([
        { op: 'cordon', cluster: 'c1', node: 'a100-6', unschedulable: true },
        { op: 'drain', cluster: 'c1', node: 'a100-6', timeoutSeconds: 1200 },
      ]);
      expect(action!.reason).toMatch(
        /^Empty 1 node \(a100-6\), which run no model pod: recommendation consolidation-[0-9a-f]{16} \(Remove the empty node a100-6 of a100 \(c1\)\)$/,
      );

      const again = await request(server)
        .post(`/recommendations/${rec.id}/apply`)
        .set('Authorization', pat);
      expect(again.body.actionId).toBe(res.body.actionId);
    },
  );

  it.each(databases.eachSupportedId())(
    "lowers the minimum of an empty pool through the cloud's node-pool API: a poolMinimum action on the pool that waits for approval, %p",
    async id => {
      const { server, actions } = await start(id, databases, {
        nodePools: true,
      });
      const items = (
        await request(server).get('/recommendations').set('Authorization', pat)
      ).body.items;
      const rec = items.find((r: any) => r.kind === 'empty-capacity');
      expect(rec).toMatchObject({
        title: 'Remove the empty pool empty (c1)',
        source: { pool: 'empty', cluster: 'c1', minimum: { from: 1, to: 0 } },
        applicable: { allowed: true },
      });
      const res = await request(server)
        .post(`/recommendations/${rec.id}/apply`)
        .set('Authorization', pat);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        actionKind: 'poolMinimum',
        awaitsApproval: true,
        message:
          "Lowering the minimum size of the pool empty (c1) waits for approval: the platform's policy is dry-run. Approve it under Node consolidations on the ModelFleet page.",
      });
      const action = await actions.get(res.body.actionId);
      expect(action).toMatchObject({
        kind: 'poolMinimum',
        entityRef: 'gpupool:default/c1.empty',
        dryRun: true,
        consolidation: {
          pool: { ref: 'gpupool:default/c1.empty', title: 'empty (c1)' },
          nodes: [],
          nodesBefore: 1,
          nodesFreed: 1,
          minimum: { from: 1, to: 0 },
        },
      });
      expect(action!.steps.map(s => s.do)).toEqual([
        { op: 'setPoolMinimum', cluster: 'c1', pool: 'empty', min: 0 },
      ]);
    },
  );
});
