import { InputError, ResponseError } from '@backstage/errors';
import { json, stubbedClient as client } from '../__testUtils__/client';
import { hibernationReport } from '../__testUtils__/hibernationFixtures';

describe('ModelFleetClient', () => {
  describe('model hibernation', () => {
    const report = hibernationReport();

    it("reads a model's hibernation, with the period when one is given", async () => {
      const { client: c, fetch } = client(() => json(report));
      await expect(
        c.getModelHibernation({
          namespace: 'search',
          name: 'llama-3-1-8b-chat',
        }),
      ).resolves.toEqual(report);
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/models/search/llama-3-1-8b-chat/hibernation',
      );
      await c.getModelHibernation(
        { namespace: 'team a', name: 'm/1' },
        { from: '2026-11-01', to: '2026-11-04' },
      );
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/models/team%20a/m%2F1/hibernation?from=2026-11-01&to=2026-11-04',
      );
      await c.getModelHibernation(
        { namespace: 'a', name: 'b' },
        { to: '2026-11-04' },
      );
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/models/a/b/hibernation?to=2026-11-04',
      );
    });

    it('rejects a bad model or period before calling the backend, naming the field', async () => {
      const { client: c, fetch } = client(() => json(report));
      const model = { namespace: 'a', name: 'b' };
      await expect(
        c.getModelHibernation(model, { from: '2026-13-01' }),
      ).rejects.toThrow(
        new InputError('from must be a day as YYYY-MM-DD, got "2026-13-01"'),
      );
      await expect(
        c.getModelHibernation(model, { to: '2026-11-4' }),
      ).rejects.toThrow(/^to must be a day as YYYY-MM-DD/);
      await expect(
        c.getModelHibernation(model, { from: '2026-11-02', to: '2026-11-02' }),
      ).rejects.toThrow(/from \(2026-11-02\) must be before to \(2026-11-02\)/);
      await expect(
        c.getModelHibernation({ namespace: '', name: 'b' }),
      ).rejects.toThrow('namespace of the model must not be empty');
      await expect(
        c.getModelHibernation({ namespace: 'a', name: '' }),
      ).rejects.toThrow('name of the model must not be empty');
      expect(fetch).not.toHaveBeenCalled();
    });

    it.each([
      [400, 'InputError', 'from: must be a day as YYYY-MM-DD'],
      [
        403,
        'NotAllowedError',
        'modelfleet.cost.read is not allowed on model:a/b',
      ],
      [404, 'NotFoundError', 'No model a/b'],
    ])(
      'surfaces a %i from the hibernation route as a ResponseError',
      async (status, name, message) => {
        const { client: c } = client(() =>
          json(
            { error: { name, message }, response: { statusCode: status } },
            status,
          ),
        );
        const error = await c
          .getModelHibernation({ namespace: 'a', name: 'b' })
          .catch(e => e);
        expect(error).toBeInstanceOf(ResponseError);
        expect(error.statusCode).toBe(status);
        expect(error.body.error.message).toBe(message);
      },
    );
  });
});
