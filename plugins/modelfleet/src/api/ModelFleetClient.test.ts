import { ResponseError } from '@backstage/errors';
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
});
