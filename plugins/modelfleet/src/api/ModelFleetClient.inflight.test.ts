import { ModelFleetClient } from './ModelFleetClient';

/** A client whose fetches answer only when the test says so. */
function deferredClient() {
  const answers: Array<(res: Response) => void> = [];
  const fetch = jest.fn(
    (_url: string) => new Promise<Response>(resolve => answers.push(resolve)),
  );
  const client = new ModelFleetClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as any },
  });
  const answer = (i: number, body: unknown, status = 200) =>
    answers[i](
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  return { client, fetch, answer };
}

const model = { namespace: 'default', name: 'search-reranker' };
const flush = () => new Promise(r => setTimeout(r, 0));

describe('ModelFleetClient, reads in flight', () => {
  it('sends one request for the same report asked for twice at once', async () => {
    const { client, fetch, answer } = deferredClient();
    const first = client.getModelArbitrage(model);
    const second = client.getModelArbitrage(model);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(1);
    answer(0, { options: [] });
    await expect(first).resolves.toEqual({ options: [] });
    await expect(second).resolves.toEqual({ options: [] });
  });

  it('reads again once the first read is answered', async () => {
    const { client, fetch, answer } = deferredClient();
    const first = client.getModelArbitrage(model);
    await flush();
    answer(0, { options: [] });
    await first;
    const again = client.getModelArbitrage(model);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    answer(1, { options: [{ pool: 'p' }] });
    await expect(again).resolves.toEqual({ options: [{ pool: 'p' }] });
  });

  it('shares a failure, then reads again', async () => {
    const { client, fetch, answer } = deferredClient();
    const first = client.getModelHibernation(model);
    const second = client.getModelHibernation(model);
    await flush();
    answer(0, { error: { name: 'Error', message: 'down' } }, 503);
    await expect(first).rejects.toMatchObject({ statusCode: 503 });
    await expect(second).rejects.toMatchObject({ statusCode: 503 });
    const third = client.getModelHibernation(model);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(2);
    answer(1, { state: 'warm' });
    await expect(third).resolves.toEqual({ state: 'warm' });
  });

  it('does not share reads of different reports', async () => {
    const { client, fetch } = deferredClient();
    client.getModelArbitrage(model);
    client.getModelArbitrage({ ...model, name: 'other' });
    client.getModelHibernation(model);
    await flush();
    expect(fetch).toHaveBeenCalledTimes(3);
  });
});
