import { mockCredentials } from '@backstage/backend-test-utils';
import { renderModelManifests } from '@modelfleet/plugin-scaffolder-backend-module-modelfleet';
import { ActionRequest } from '../actions/types';
import { StoredAction } from '../database/ActionStore';
import { Migrations } from './Migrations';
import { pool, reportsFixture } from './__testUtils__/reportsFixture';

const MODEL = {
  source: 'stabilityai/stable-diffusion-xl-base-1.0',
  runtime: 'triton',
  replicas: { min: 1, max: 3 },
  policy: { hibernation: { mode: 'enforce', idleMinutes: 15 } },
};

/** Migrations over the what-if fixture, with a pool of cluster c2, storing requests. */
function setup(
  spec: Record<string, unknown> = MODEL,
  options: { renderer?: boolean; dryRun?: boolean } = {},
) {
  const fx = reportsFixture(
    spec,
    [pool('l4-west', { cluster: 'c2', region: 'us-east-1' })],
    ['c1', 'c2'],
  );
  const requested: ActionRequest[] = [];
  const migrations = new Migrations({
    targets: fx.targets,
    reports: fx.reports,
    fleet: fx.fleet,
    actuators: fx.actuators,
    actions: {
      async request(a) {
        requested.push(a);
        return {
          action: {
            ...a,
            id: 'a1',
            state: 'planned',
          } as unknown as StoredAction,
          created: true,
        };
      },
      async get() {
        return undefined;
      },
      async list() {
        return [];
      },
    },
    candidates: fx.candidates,
    renderer: () =>
      options.renderer === false
        ? undefined
        : {
            render: input => ({
              manifests: renderModelManifests(input as any).manifests,
            }),
          },
    deniedNamespaces: ['kube-system'],
    provisioningSeconds: 180,
    dryRunOf: () => options.dryRun ?? false,
  });
  return { ...fx, migrations, requested };
}

const credentials = mockCredentials.user();
const allow = async () => undefined;
const move = (to: string, over: Record<string, unknown> = {}) => ({
  pool: to,
  dryRun: false,
  requestedBy: 'user:default/jane',
  idempotencyKey: 'k1',
  ...over,
});

describe('Migrations', () => {
  it("renders the model for the target pool with the template's renderer and stores the make-before-break steps", async () => {
    const { migrations, requested } = setup();
    await migrations.request(
      'default',
      'sdxl',
      move('gpupool:default/c2.l4-west', { reason: 'cheaper' }),
      credentials,
      allow,
    );
    expect(requested).toHaveLength(1);
    const [a] = requested;
    expect(a).toMatchObject({
      kind: 'migrate',
      entityRef: 'model:default/sdxl',
      cluster: 'c2',
      dryRun: false,
      requestedBy: 'user:default/jane',
      idempotencyKey: 'k1',
    });
    expect(a.details).toMatchObject({
      from: { pool: 'gpupool:default/c1.l4-ondemand', cluster: 'c1' },
      to: {
        pool: 'gpupool:default/c2.l4-west',
        cluster: 'c2',
        capacityType: 'on-demand',
      },
      moveUsd: expect.any(Number),
      risk: expect.stringMatching(/^on-demand: not preempted/),
    });
    expect(a.reason).toMatch(
      /^move from cluster c1 to l4-west \(c2\).*: cheaper$/,
    );
    const apply = a.steps[0].do;
    if (apply.op !== 'apply') throw new Error('apply first');
    expect(apply.cluster).toBe('c2');
    const dep = apply.objects.find(o => o.kind === 'Deployment')!;
    // Rendered for the pool: its annotations, the pool's node selector.
    expect(dep.metadata).toMatchObject({
      name: 'sdxl',
      namespace: 'vision',
      annotations: {
        'modelfleet.io/pool': 'gpupool:default/c2.l4-west',
        'modelfleet.io/cluster': 'c2',
      },
    });
    expect(
      JSON.stringify((dep.spec as any).template.spec.nodeSelector),
    ).toContain('l4-west');
    expect((dep.spec as any).replicas).toBe(0);
    expect(a.steps.map(s => s.do.op)).toContain('waitReady');
  });

  it('rolls the Deployment over to a pool of its own cluster, with the Deployment as it is now to apply back', async () => {
    const { migrations, requested, actuators } = setup();
    await migrations.request(
      'default',
      'sdxl',
      move('gpupool:default/c1.l4-spot'),
      credentials,
      allow,
    );
    const [a] = requested;
    expect(a).toMatchObject({ kind: 'migrate', cluster: 'c1' });
    expect(a.reason).toMatch(
      /^move within cluster c1 to l4-spot \(c1\), make-before-break \(2 replicas\), saving \$\d+\/month$/,
    );
    const roll = a.steps.find(s => s.do.op === 'apply')!;
    if (roll.do.op !== 'apply' || roll.undo?.op !== 'apply') {
      throw new Error('an apply with an apply back');
    }
    const [dep] = roll.do.objects;
    expect(dep.metadata).toMatchObject({
      name: 'sdxl',
      namespace: 'vision',
      annotations: { 'modelfleet.io/pool': 'gpupool:default/c1.l4-spot' },
    });
    expect(
      JSON.stringify((dep.spec as any).template.spec.nodeSelector),
    ).toContain('l4-spot');
    expect((dep.spec as any).replicas).toBe(2);
    const live = await (
      await actuators.forCluster('c1')
    ).get('c1', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'vision',
      name: 'sdxl',
    });
    expect((roll.undo.objects[0] as any).spec).toEqual((live as any).spec);
    expect(a.steps.map(s => s.do.op)).toEqual(['apply', 'waitReady']);
  });

  it("waits for approval when asked, or when the team's policy is dry-run", async () => {
    const asked = setup();
    await asked.migrations.request(
      'default',
      'sdxl',
      move('gpupool:default/c2.l4-west', { dryRun: true }),
      credentials,
      allow,
    );
    expect(asked.requested[0].dryRun).toBe(true);
    const policy = setup(MODEL, { dryRun: true });
    await policy.migrations.request(
      'default',
      'sdxl',
      move('gpupool:default/c2.l4-west'),
      credentials,
      allow,
    );
    expect(policy.requested[0].dryRun).toBe(true);
  });

  it.each([
    [
      'gpupool:default/c1.t4',
      'InputError',
      /pool: the model may not run on t4 \(c1\)/,
    ],
    [
      'gpupool:default/nowhere.x',
      'InputError',
      /pool: 'gpupool:default\/nowhere.x' is not a GpuPool/,
    ],
    ['gpupool:default/c1.l4-ondemand', 'ConflictError', /already runs on/],
  ])(
    'refuses a move to %s (%s) and stores nothing',
    async (to, name, message) => {
      const { migrations, requested } = setup();
      await expect(
        migrations.request('default', 'sdxl', move(to), credentials, allow),
      ).rejects.toMatchObject({
        name,
        message: expect.stringMatching(message),
      });
      expect(requested).toHaveLength(0);
    },
  );

  it('names what the Model lacks for the renderer, and a missing renderer', async () => {
    const generic = setup({ ...MODEL, runtime: 'generic' });
    await expect(
      generic.migrations.request(
        'default',
        'sdxl',
        move('gpupool:default/c2.l4-west'),
        credentials,
        allow,
      ),
    ).rejects.toThrow(/spec.runtime is "generic"/);
    const noSource = setup({ ...MODEL, source: undefined });
    await expect(
      noSource.migrations.request(
        'default',
        'sdxl',
        move('gpupool:default/c2.l4-west'),
        credentials,
        allow,
      ),
    ).rejects.toThrow(/spec.source is missing/);
    const none = setup(MODEL, { renderer: false });
    await expect(
      none.migrations.request(
        'default',
        'sdxl',
        move('gpupool:default/c2.l4-west'),
        credentials,
        allow,
      ),
    ).rejects.toThrow(/no renderer of model manifests/);
  });

  it('refuses someone the check refuses before it reads anything else', async () => {
    const { migrations, requested } = setup();
    await expect(
      migrations.request(
        'default',
        'sdxl',
        move('gpupool:default/c2.l4-west'),
        credentials,
        async () => {
          throw Object.assign(new Error('no'), { name: 'NotAllowedError' });
        },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(requested).toHaveLength(0);
  });
});
