import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { start } from '../recommendations/__testUtils__/routeFixture';

jest.setTimeout(60_000);

const sam = mockCredentials.user.header('user:default/sam');
const pat = mockCredentials.user.header('user:default/pat');

const list = async (server: Parameters<typeof request>[0], who = pat) =>
  (await request(server).get('/recommendations').set('Authorization', who)).body
    .items;

describe('POST /recommendations/:id/apply', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'approves a planned action, runs fewer replicas as a Scale, says so in words, and refuses what it cannot apply, %p',
    async id => {
      const { server, actions, planned } = await start(id, databases);
      const [rs, empty, hib] = await list(server);
      expect(rs.title).toBe(
        'Run fewer replicas of Search reranker: 1 instead of 4',
      );
      expect(hib.title).toBe('Hibernate sdxl while it is idle');

      const approved = await request(server)
        .post(`/recommendations/${hib.id}/apply`)
        .set('Authorization', pat);
      expect(approved.status).toBe(200);
      expect(approved.body).toEqual({
        recommendationId: hib.id,
        actionId: planned.id,
        actionState: 'planned',
        actionKind: 'hibernate',
        awaitsApproval: false,
        message: 'Approved: hibernating sdxl now.',
      });
      expect((await actions.get(planned.id))?.approvedBy).toBe(
        'user:default/pat',
      );

      const scaled = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(scaled.status).toBe(200);
      expect(scaled.body).toMatchObject({
        actionKind: 'scale',
        awaitsApproval: false,
        message: 'Scaling Search reranker to 1 replica now.',
      });
      const action = await actions.get(scaled.body.actionId);
      expect(action).toMatchObject({
        kind: 'scale',
        entityRef: 'model:default/reranker',
        requestedBy: 'user:default/sam',
        dryRun: false,
      });
      expect(
        action?.steps.some(s => s.do.op === 'scale' && s.do.replicas === 1),
      ).toBe(true);
      // Twice the same day: the same action.
      const again = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(again.body.actionId).toBe(scaled.body.actionId);

      const refused = await request(server)
        .post(`/recommendations/${empty.id}/apply`)
        .set('Authorization', pat);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        'No node-pool API of ModelFleet manages cluster c1 (modelfleet.azure.nodePools): lower the minimum size of the AKS agent pool empty of cluster c1 from 1 to 0 in Azure (the AKS portal, or az aks nodepool update); its cluster autoscaler then removes the idle node (or delete the pool if no model is to run on it)',
      );
    },
  );

  it.each(databases.eachSupportedId())(
    "stops at planned under the team's dry-run policy, and says where to approve it, %p",
    async id => {
      const { server, actions } = await start(id, databases, { dryRun: true });
      const [rs] = await list(server, sam);
      const res = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        actionState: 'planned',
        actionKind: 'scale',
        awaitsApproval: true,
        message:
          "Scaling Search reranker to 1 replica waits for approval: Search team's policy is dry-run. Approve it on the ModelFleet page.",
      });
      expect(await actions.get(res.body.actionId)).toMatchObject({
        state: 'planned',
        dryRun: true,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'moves the model to a smaller GPU as Move here does: the same make-before-break plan, once a day, %p',
    async id => {
      const { server, actions } = await start(id, databases, { l4: true });
      const [rs] = await list(server, sam);
      expect(rs).toMatchObject({
        kind: 'rightsizing',
        title: 'Move Search reranker to a smaller GPU: L4 on l4 (c1)',
        source: {
          option: 'smaller-gpu',
          pool: 'gpupool:default/c1.l4',
          replicas: 2,
        },
        disruption: { level: 'move', podsAffected: 4 },
        applicable: { allowed: true },
      });
      expect([rs.title, ...rs.evidence].join(' ')).not.toMatch(
        /model:|gpupool:/,
      );

      const res = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        actionState: 'planned',
        actionKind: 'migrate',
        awaitsApproval: false,
        message:
          'Moving Search reranker to L4 on l4 (c1) now, make before break: its new replicas start and become ready before the old ones stop.',
      });
      const action = await actions.get(res.body.actionId);
      expect(action).toMatchObject({
        kind: 'migrate',
        entityRef: 'model:default/reranker',
        cluster: 'c1',
        requestedBy: 'user:default/sam',
        dryRun: false,
        details: { to: { pool: 'gpupool:default/c1.l4', title: 'l4 (c1)' } },
      });
      // Within its cluster: its Deployment rolled over to the L4 pool,
      // with the Deployment as it is now to apply back.
      const roll = action!.steps.find(s => s.do.op === 'apply')!;
      if (roll.do.op !== 'apply' || roll.undo?.op !== 'apply') {
        throw new Error('an apply with an apply back');
      }
      const dep = roll.do.objects.find(o => o.kind === 'Deployment')!;
      expect(dep.metadata.annotations).toMatchObject({
        'modelfleet.io/pool': 'gpupool:default/c1.l4',
      });
      expect(action!.steps.map(s => s.do.op)).toContain('waitReady');
      expect(action!.reason).toMatch(
        /^move within cluster c1 to l4 \(c1\), make-before-break .*: recommendation rightsizing-[0-9a-f]{16} \(Move Search reranker to a smaller GPU: L4 on l4 \(c1\)\)$/,
      );

      const again = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(again.status).toBe(200);
      expect(again.body.actionId).toBe(res.body.actionId);
      expect(
        await actions.list({
          entityRef: 'model:default/reranker',
          kinds: ['migrate'],
        }),
      ).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    "lets a move to a smaller GPU wait for approval under the team's dry-run policy, %p",
    async id => {
      const { server, actions } = await start(id, databases, {
        l4: true,
        dryRun: true,
      });
      const [rs] = await list(server, sam);
      const res = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        actionKind: 'migrate',
        awaitsApproval: true,
        message:
          "A move of Search reranker to L4 on l4 (c1) waits for approval: Search team's policy is dry-run. Approve it on the ModelFleet page.",
      });
      expect(await actions.get(res.body.actionId)).toMatchObject({
        kind: 'migrate',
        state: 'planned',
        dryRun: true,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'moves a model that asks for one GPU onto a time-sliced pool: one slice per replica, as Move here renders it, %p',
    async id => {
      // Its Model asks for 16 GiB a replica, more than half an L4 offers:
      // not a move yet, and the reason says what to change.
      const asked = await start(id, databases, { share: true });
      const [big] = await list(asked.server, sam);
      expect(big.source).toMatchObject({ option: 'gpu-share' });
      expect(big.applicable).toEqual({
        allowed: false,
        reason:
          'Its Model asks for 16 GiB of GPU memory a replica (spec.gpu.memoryGiB) and a move keeps that, where l4ts (c1) offers 11 GiB; its peak with headroom is 10 GiB: set spec.gpu.memoryGiB to 10 in its Model first, then apply this again',
      });

      const { server, actions } = await start(id, databases, {
        share: true,
        rerankerMemoryGiB: 10,
      });
      const [rs] = await list(server, sam);
      expect(rs).toMatchObject({
        kind: 'rightsizing',
        source: { option: 'gpu-share', pool: 'gpupool:default/c1.l4ts' },
        applicable: { allowed: true },
      });
      const res = await request(server)
        .post(`/recommendations/${rs.id}/apply`)
        .set('Authorization', sam);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        actionKind: 'migrate',
        awaitsApproval: false,
      });
      const action = await actions.get(res.body.actionId);
      const roll = action!.steps.find(s => s.do.op === 'apply')!;
      if (roll.do.op !== 'apply') throw new Error('an apply');
      const dep = roll.do.objects.find(o => o.kind === 'Deployment') as any;
      expect(dep.metadata.annotations).toMatchObject({
        'modelfleet.io/pool': 'gpupool:default/c1.l4ts',
      });
      // One unit of the pool's GPU resource: half an L4.
      const limits = dep.spec.template.spec.containers[0].resources.limits;
      expect(limits['nvidia.com/gpu']).toBe('1');
    },
  );
});
