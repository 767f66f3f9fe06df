import { InputError, ResponseError } from '@backstage/errors';
import { json, stubbedClient as client } from '../__testUtils__/client';

describe('ModelFleetClient', () => {
  describe('actions and model requests', () => {
    const action = {
      id: 'a1',
      kind: 'hibernate',
      entityRef: 'model:search/llama-3-1-8b-chat',
      state: 'planned',
    };
    const call = (fetch: jest.Mock, i = 0) =>
      fetch.mock.calls[i] as unknown as [string, RequestInit | undefined];

    it("lists a model's actions, optionally in one state", async () => {
      const { client: c, fetch } = client(() => json({ actions: [action] }));
      await expect(
        c.listActions({ entityRef: 'model:search/llama-3-1-8b-chat' }),
      ).resolves.toEqual({ actions: [action] });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/actions?entity=model%3Asearch%2Fllama-3-1-8b-chat',
      );
      await c.listActions({ entityRef: 'model:a/b', state: 'rollingBack' });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/actions?entity=model%3Aa%2Fb&state=rollingBack',
      );
    });

    it('rejects a bad actions query before calling the backend', async () => {
      const { client: c, fetch } = client(() => json({ actions: [] }));
      await expect(c.listActions({ entityRef: '' })).rejects.toThrow(
        new InputError('entityRef of the actions must not be empty'),
      );
      await expect(
        c.listActions({ entityRef: 'model:a/b', state: 'running' as any }),
      ).rejects.toThrow(/^state must be one of planned, applying, .*"running"/);
      expect(fetch).not.toHaveBeenCalled();
    });

    it('surfaces a 403 from the actions list as a ResponseError', async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'modelfleet.recommendation.apply is denied',
            },
            response: { statusCode: 403 },
          },
          403,
        ),
      );
      const error = await c
        .listActions({ entityRef: 'model:a/b' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.body.error.message).toBe(
        'modelfleet.recommendation.apply is denied',
      );
    });

    it('approves and cancels an action with a POST without a body', async () => {
      const { client: c, fetch } = client(() => json(action));
      await expect(c.approveAction('a/1')).resolves.toEqual(action);
      expect(call(fetch)).toEqual([
        'http://backend/api/modelfleet/actions/a%2F1/approve',
        { method: 'POST' },
      ]);
      await c.cancelAction('a1');
      expect(call(fetch, 1)).toEqual([
        'http://backend/api/modelfleet/actions/a1/cancel',
        { method: 'POST' },
      ]);
      await expect(c.approveAction('')).rejects.toThrow(
        'id of the action must not be empty',
      );
      expect(fetch).toHaveBeenCalledTimes(2);
    });

    it('surfaces a 409 of an action that cannot be approved with the backend message', async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'ConflictError',
              message: "an action that is done cannot take 'approve'",
            },
            response: { statusCode: 409 },
          },
          409,
        ),
      );
      const error = await c.approveAction('a1').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toBe(
        "an action that is done cannot take 'approve'",
      );
    });

    it("reads a model's capabilities", async () => {
      const capabilities = { entityRef: 'model:team a/m', dryRun: false };
      const { client: c, fetch } = client(() => json(capabilities));
      await expect(
        c.getModelCapabilities({ namespace: 'team a', name: 'm' }),
      ).resolves.toEqual(capabilities);
      expect(fetch).toHaveBeenCalledWith(
        'http://backend/api/modelfleet/models/team%20a/m/capabilities',
      );
      await expect(
        c.getModelCapabilities({ namespace: 'default', name: '' }),
      ).rejects.toThrow('name of the model must not be empty');
    });

    it('posts scale, hibernate and wake requests as JSON', async () => {
      const { client: c, fetch } = client(() => json(action, 201));
      await expect(
        c.requestModelAction({
          namespace: 'search',
          name: 'llama-3-1-8b-chat',
          action: 'scale',
          replicas: 3,
          reason: '  launch traffic ',
        }),
      ).resolves.toEqual(action);
      await c.requestModelAction({
        namespace: 'search',
        name: 'llama-3-1-8b-chat',
        action: 'hibernate',
        replicas: 5,
      });
      await c.requestModelAction({
        namespace: 'search',
        name: 'llama-3-1-8b-chat',
        action: 'wake',
        reason: 'demo',
      });
      const sent = fetch.mock.calls.map(i => {
        const [url, init] = i as unknown as [string, RequestInit];
        expect(init.method).toBe('POST');
        expect(new Headers(init.headers).get('content-type')).toBe(
          'application/json',
        );
        return [url, JSON.parse(init.body as string)];
      });
      expect(sent).toEqual([
        [
          'http://backend/api/modelfleet/models/search/llama-3-1-8b-chat/scale',
          { replicas: 3, reason: 'launch traffic' },
        ],
        // Replicas only go with a scale request.
        [
          'http://backend/api/modelfleet/models/search/llama-3-1-8b-chat/hibernate',
          {},
        ],
        [
          'http://backend/api/modelfleet/models/search/llama-3-1-8b-chat/wake',
          { reason: 'demo' },
        ],
      ]);
    });

    it('returns the action already in flight for the same request (200)', async () => {
      const { client: c } = client(() => json({ ...action, id: 'a0' }, 200));
      await expect(
        c.requestModelAction({ namespace: 'a', name: 'b', action: 'wake' }),
      ).resolves.toMatchObject({ id: 'a0' });
    });

    it('rejects a bad model action before calling the backend, naming the field', async () => {
      const { client: c, fetch } = client(() => json(action));
      const model = { namespace: 'a', name: 'b' };
      for (const replicas of [undefined, -1, 1.5, 65, NaN]) {
        await expect(
          c.requestModelAction({ ...model, action: 'scale', replicas }),
        ).rejects.toThrow(/^replicas must be a whole number from 0 to 64/);
      }
      await expect(
        c.requestModelAction({ ...model, action: 'delete' as any }),
      ).rejects.toThrow(
        'action must be one of scale, hibernate, wake, sleep, got "delete"',
      );
      await expect(
        c.requestModelAction({ namespace: '', name: 'b', action: 'wake' }),
      ).rejects.toThrow('namespace of the model must not be empty');
      expect(fetch).not.toHaveBeenCalled();
    });

    it.each([
      [400, 'InputError', 'replicas: must be at most 64'],
      [403, 'NotAllowedError', 'modelfleet.model.hibernate is denied'],
    ])(
      'surfaces a %i from a model action as a ResponseError',
      async (status, name, message) => {
        const { client: c } = client(() =>
          json(
            { error: { name, message }, response: { statusCode: status } },
            status,
          ),
        );
        const error = await c
          .requestModelAction({
            namespace: 'a',
            name: 'b',
            action: 'hibernate',
          })
          .catch(e => e);
        expect(error).toBeInstanceOf(ResponseError);
        expect(error.statusCode).toBe(status);
        expect(error.body.error.message).toBe(message);
      },
    );
  });
});
