import { InputError, ResponseError } from '@backstage/errors';
import { ModelFleetClient } from './ModelFleetClient';

function client(respond: (url: string) => Response) {
  const fetch = jest.fn(async (url: string) => respond(url));
  return {
    fetch,
    client: new ModelFleetClient({
      discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
      fetchApi: { fetch: fetch as any },
    }),
  };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('ModelFleetClient', () => {
  it('reads the status from the modelfleet backend', async () => {
    const body = {
      database: { client: 'pg', migrations: [] },
      connectors: {},
      tasks: [],
      demo: false,
      generatedAt: 'x',
    };
    const { client: c, fetch } = client(() => json(body));
    await expect(c.getStatus()).resolves.toEqual(body);
    expect(fetch).toHaveBeenCalledWith('http://backend/api/modelfleet/status');
  });

  it('reads the health check', async () => {
    const { client: c, fetch } = client(() => json({ status: 'ok' }));
    await expect(c.getHealth()).resolves.toEqual({ status: 'ok' });
    expect(fetch).toHaveBeenCalledWith('http://backend/api/modelfleet/health');
  });

  it('turns a 500 with a Backstage error body into a ResponseError', async () => {
    const { client: c } = client(() =>
      json(
        {
          error: { name: 'Error', message: 'database is locked' },
          request: { method: 'GET', url: '/api/modelfleet/status' },
          response: { statusCode: 500 },
        },
        500,
      ),
    );
    const error = await c.getStatus().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(500);
    expect(error.message).toMatch(/^Request failed with 500/);
    expect(error.cause.message).toBe('database is locked');
    expect(error.body.error.message).toBe('database is locked');
  });

  it('encodes the team of a policy query', async () => {
    const { client: c, fetch } = client(() =>
      json({ team: null, policy: {}, sources: {} }),
    );
    await c.getEffectivePolicy('group:default/search-team');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/modelfleet/policies/effective?team=group%3Adefault%2Fsearch-team',
    );
    await c.getEffectivePolicy();
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backend/api/modelfleet/policies/effective',
    );
  });

  it('turns an error response into a ResponseError with the backend message', async () => {
    const { client: c } = client(() =>
      json(
        {
          error: { name: 'InputError', message: 'team: must be given once' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );
    const error = await c.getEffectivePolicy('a').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('team: must be given once');
    expect(error.statusCode).toBe(400);
  });

  describe('cost and utilization', () => {
    const report = { scope: 'model', total: { costUsd: 1 } };

    it('reads the fleet cost with no parameters, so the backend defaults apply', async () => {
      const { client: c, fetch } = client(() => json(report));
      await expect(c.getFleetCost()).resolves.toEqual(report);
      expect(fetch).toHaveBeenCalledWith(
        'http://backend/api/modelfleet/cost/fleet',
      );
    });

    it('sends from, to and granularity of a fleet cost query', async () => {
      const { client: c, fetch } = client(() => json(report));
      await c.getFleetCost({
        from: '2026-10-01',
        to: '2026-11-01',
        granularity: 'week',
      });
      expect(fetch).toHaveBeenCalledWith(
        'http://backend/api/modelfleet/cost/fleet?from=2026-10-01&to=2026-11-01&granularity=week',
      );
    });

    it('reads the cost of an entity by lowercase kind, namespace and name', async () => {
      const { client: c, fetch } = client(() => json(report));
      await c.getEntityCost(
        { kind: 'model', namespace: 'default', name: 'llama-3-1-8b-chat' },
        { from: '2026-11-01' },
      );
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/cost/entity/model/default/llama-3-1-8b-chat?from=2026-11-01',
      );
      await c.getEntityCost({
        kind: 'GpuPool' as any,
        namespace: 'team a',
        name: 'demo-aws-use1.g6/l4',
      });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/cost/entity/gpupool/team%20a/demo-aws-use1.g6%2Fl4',
      );
      await c.getEntityCost({
        kind: 'group',
        namespace: 'default',
        name: 'search-team',
      });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/cost/entity/group/default/search-team',
      );
    });

    it('reads utilization of the fleet and of models and pools', async () => {
      const { client: c, fetch } = client(() => json({ scope: 'pool' }));
      await c.getFleetUtilization({ granularity: 'month' });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/utilization/fleet?granularity=month',
      );
      await c.getEntityUtilization(
        { kind: 'gpupool', namespace: 'default', name: 'p' },
        { from: '2026-11-01', to: '2026-11-08', granularity: 'day' },
      );
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/utilization/entity/gpupool/default/p?from=2026-11-01&to=2026-11-08&granularity=day',
      );
    });

    it('reads anomalies and the bill reconciliation for a period', async () => {
      const { client: c, fetch } = client(() => json({ items: [] }));
      await expect(c.getCostAnomalies()).resolves.toEqual({ items: [] });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/cost/anomalies',
      );
      await c.getCostAnomalies({ from: '2026-10-01', to: '2026-11-01' });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/cost/anomalies?from=2026-10-01&to=2026-11-01',
      );
      await c.getBillReconciliation({ from: '2026-10-01' });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/bills/reconciliation?from=2026-10-01',
      );
    });

    it('rejects a bad query before calling the backend, naming the field', async () => {
      const { client: c, fetch } = client(() => json(report));
      await expect(c.getFleetCost({ from: '2026-13-01' })).rejects.toThrow(
        new InputError('from must be a day as YYYY-MM-DD, got "2026-13-01"'),
      );
      await expect(c.getFleetCost({ to: '1 Nov 2026' })).rejects.toThrow(
        /^to must be a day as YYYY-MM-DD/,
      );
      await expect(
        c.getFleetCost({ from: '2026-11-02', to: '2026-11-01' }),
      ).rejects.toThrow(/from \(2026-11-02\) must be before to \(2026-11-01\)/);
      await expect(
        c.getFleetCost({ granularity: 'hour' as any }),
      ).rejects.toThrow(
        'granularity must be one of day, week, month, got "hour"',
      );
      await expect(
        c.getEntityCost({
          kind: 'component' as any,
          namespace: 'a',
          name: 'b',
        }),
      ).rejects.toThrow(
        'kind must be one of model, gpupool, group, got "component"',
      );
      await expect(
        c.getEntityUtilization({
          kind: 'group' as any,
          namespace: 'a',
          name: 'b',
        }),
      ).rejects.toThrow('kind must be one of model, gpupool, got "group"');
      await expect(
        c.getEntityCost({ kind: 'model', namespace: 'default', name: '' }),
      ).rejects.toThrow('name of the model must not be empty');
      expect(fetch).not.toHaveBeenCalled();
    });

    it.each([
      [400, 'InputError', 'granularity: must be day, week or month'],
      [403, 'NotAllowedError', 'modelfleet.cost.read is denied'],
      [404, 'NotFoundError', 'no model default/gone'],
    ])(
      'surfaces a %i from the cost routes as a ResponseError',
      async (status, name, message) => {
        const { client: c } = client(() =>
          json(
            { error: { name, message }, response: { statusCode: status } },
            status,
          ),
        );
        const error = await c
          .getEntityCost({ kind: 'model', namespace: 'default', name: 'gone' })
          .catch(e => e);
        expect(error).toBeInstanceOf(ResponseError);
        expect(error.statusCode).toBe(status);
        expect(error.cause.name).toBe(name);
        expect(error.body.error.message).toBe(message);
      },
    );
  });

  describe('placement', () => {
    const body = {
      name: 'llama-3-1-8b-chat',
      owner: 'group:default/search-team',
      parametersBillions: 8,
      precision: 'bf16' as const,
      replicas: { min: 1, max: 3 },
      pool: 'gpupool:default/demo-aws-use1.g6',
    };

    it('posts the request as JSON and returns the ranked pools', async () => {
      const response = {
        options: [],
        excluded: [],
        recommended: null,
        blocking: ['no pool fits'],
      };
      const { client: c, fetch } = client(() => json(response));
      await expect(c.placement(body)).resolves.toEqual(response);
      expect(fetch).toHaveBeenCalledTimes(1);
      const [url, init] = fetch.mock.calls[0] as unknown as [
        string,
        RequestInit,
      ];
      expect(url).toBe('http://backend/api/modelfleet/placement');
      expect(init.method).toBe('POST');
      expect(new Headers(init.headers).get('content-type')).toBe(
        'application/json',
      );
      expect(JSON.parse(init.body as string)).toEqual(body);
    });

    it('surfaces a rejected request as a ResponseError with the backend message', async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'InputError',
              message: 'replicas.min must not exceed replicas.max',
            },
            response: { statusCode: 400 },
          },
          400,
        ),
      );
      const error = await c.placement(body).catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(400);
      expect(error.body.error.message).toBe(
        'replicas.min must not exceed replicas.max',
      );
    });
  });
});
