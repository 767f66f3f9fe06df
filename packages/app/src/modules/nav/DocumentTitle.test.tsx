import { fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { waitFor } from '@testing-library/react';
import { DocumentTitle } from './DocumentTitle';

const pages = [
  { href: '/', title: 'Home' },
  { href: '/catalog', title: 'Catalog' },
];

describe('DocumentTitle', () => {
  afterEach(() => {
    document.title = '';
  });

  it("names a page that writes no title after the nav's page", async () => {
    document.title = 'ModelFleet';
    renderInTestApp(<DocumentTitle pages={pages} />, {
      initialRouteEntries: ['/catalog'],
      config: { app: { title: 'ModelFleet' } },
    });
    await waitFor(() => expect(document.title).toBe('Catalog · ModelFleet'));
  });

  it('rewrites the title an entity page writes in Backstage’s format', async () => {
    renderInTestApp(<DocumentTitle pages={pages} />, {
      initialRouteEntries: ['/catalog/default/model/search-reranker'],
      config: { app: { title: 'ModelFleet' } },
    });
    await waitFor(() => expect(document.title).toBe('search-reranker · Model'));
    // What the catalog's entity layout writes through react-helmet.
    document.title = 'Search reranker | Overview | ModelFleet';
    await waitFor(() => expect(document.title).toBe('Search reranker · Model'));
    // A title set here before, put back by someone else, is set right.
    document.title = 'search-reranker · Model';
    await waitFor(() => expect(document.title).toBe('Search reranker · Model'));
    // The notifications' unread count stays in front.
    document.title = '(2) Search reranker · Model';
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(document.title).toBe('(2) Search reranker · Model');
  });

  it("names a scaffolder template's page by the template's title from the catalog", async () => {
    const fetch = jest.fn(async (url: RequestInfo | URL) =>
      String(url) ===
      'http://example.com/api/catalog/entities/by-name/template/default/deploy-model'
        ? new Response(
            JSON.stringify({
              kind: 'Template',
              metadata: { name: 'deploy-model', title: 'Deploy a model' },
            }),
          )
        : new Response('{}', { status: 404 }),
    );
    renderInTestApp(
      <DocumentTitle
        pages={[...pages, { href: '/create', title: 'Create' }]}
      />,
      {
        initialRouteEntries: ['/create/templates/default/deploy-model'],
        config: { app: { title: 'ModelFleet' } },
        apis: [
          [fetchApiRef, { fetch }],
          mockApis.discovery({ baseUrl: 'http://example.com' }),
        ],
      },
    );
    await waitFor(() =>
      expect(document.title).toBe('Deploy a model · ModelFleet'),
    );
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
