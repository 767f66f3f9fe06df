import { ModelFleetClient } from '../api/ModelFleetClient';

/** A client on a stubbed discoveryApi and a fetch mock that `respond`s. */
export function stubbedClient(respond: (url: string) => Response) {
  const fetch = jest.fn(async (url: string) => respond(url));
  return {
    fetch,
    client: new ModelFleetClient({
      discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
      fetchApi: { fetch: fetch as any },
    }),
  };
}

/** A JSON response. */
export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
