import { InputError, ResponseError } from '@backstage/errors';
import { json, stubbedClient as client } from '../__testUtils__/client';

describe('ModelFleetClient', () => {
  describe('moves', () => {
    const action = {
      id: 'm1',
      kind: 'migrate',
      entityRef: 'model:search/llama-3-1-8b-chat',
      state: 'planned',
      dryRun: true,
    };
    const model = { namespace: 'search', name: 'llama-3-1-8b-chat' };
    const call = (fetch: jest.Mock, i = 0) =>
      fetch.mock.calls[i] as unknown as [string, RequestInit | undefined];

    it('lists actions of a kind across models, with a limit', async () => {
      const { client: c, fetch } = client(() => json({ actions: [action] }));
      await expect(
        c.listActions({ kind: 'migrate', limit: 50 }),
      ).resolves.toEqual({ actions: [action] });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/actions?kind=migrate&limit=50',
      );
      await c.listActions({
        entityRef: 'model:a/b',
        kind: ['migrate', 'scale'],
        state: 'planned',
      });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/actions?entity=model%3Aa%2Fb&state=planned&kind=migrate&kind=scale',
      );
    });

    it('rejects an actions query without a model or a kind, or with a bad kind or limit', async () => {
      const { client: c, fetch } = client(() => json({ actions: [] }));
      await expect(c.listActions({})).rejects.toThrow(
        new InputError('entityRef of the actions must be given unless kind is'),
      );
      await expect(c.listActions({ kind: [] })).rejects.toThrow(
        'entityRef of the actions must be given unless kind is',
      );
      await expect(
        c.listActions({ kind: ['migrate', 'teleport' as any] }),
      ).rejects.toThrow(
        /^kind must be one of deploy, .*, spot-fallback, consolidate, poolMinimum, got "teleport"/,
      );
      for (const limit of [0, 201, 1.5]) {
        await expect(c.listActions({ kind: 'migrate', limit })).rejects.toThrow(
          `limit must be a whole number from 1 to 200, got ${limit}`,
        );
      }
      expect(fetch).not.toHaveBeenCalled();
    });

    it('posts a move with its body and Idempotency-Key', async () => {
      const { client: c, fetch } = client(() => json(action, 201));
      await expect(
        c.requestMigration(
          { namespace: 'team a', name: 'm' },
          {
            pool: ' gpupool:default/demo-gcp-usc1.g2-l4 ',
            reason: '  cheaper  ',
            dryRun: true,
          },
          'move-1.a:b_c',
        ),
      ).resolves.toEqual(action);
      expect(call(fetch)).toEqual([
        'http://backend/api/modelfleet/models/team%20a/m/migrations',
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': 'move-1.a:b_c',
          },
          body: JSON.stringify({
            pool: 'gpupool:default/demo-gcp-usc1.g2-l4',
            reason: 'cheaper',
            dryRun: true,
          }),
        },
      ]);
      await c.requestMigration(model, {
        pool: 'gpupool:default/p',
        reason: ' ',
      });
      expect(call(fetch, 1)).toEqual([
        'http://backend/api/modelfleet/models/search/llama-3-1-8b-chat/migrations',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ pool: 'gpupool:default/p' }),
        },
      ]);
    });

    it('rejects a bad move request before calling the backend', async () => {
      const { client: c, fetch } = client(() => json(action, 201));
      await expect(c.requestMigration(model, { pool: ' ' })).rejects.toThrow(
        /^pool must be a GpuPool entity ref/,
      );
      await expect(
        c.requestMigration(model, {
          pool: 'gpupool:default/p',
          dryRun: 'yes' as any,
        }),
      ).rejects.toThrow('dryRun must be true or false, got "yes"');
      await expect(
        c.requestMigration(model, {
          pool: 'gpupool:default/p',
          reason: 'x'.repeat(501),
        }),
      ).rejects.toThrow('reason must be at most 500 characters, got 501');
      await expect(
        c.requestMigration(model, { pool: 'gpupool:default/p' }, 'no spaces'),
      ).rejects.toThrow(
        'idempotencyKey must be 1 to 200 letters, digits, or . _ : -',
      );
      await expect(
        c.requestMigration(
          { namespace: '', name: 'm' },
          { pool: 'gpupool:default/p' },
        ),
      ).rejects.toThrow('namespace of the model must not be empty');
      expect(fetch).not.toHaveBeenCalled();
    });

    it('surfaces a 409 of a move that cannot happen now with the backend message', async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'ConflictError',
              message:
                'migrate: not now, another action of the model is applying',
            },
            response: { statusCode: 409 },
          },
          409,
        ),
      );
      const error = await c
        .requestMigration(model, { pool: 'gpupool:default/p' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toBe(
        'migrate: not now, another action of the model is applying',
      );
    });
  });
});
