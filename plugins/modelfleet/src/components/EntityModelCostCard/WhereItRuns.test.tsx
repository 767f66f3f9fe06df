import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { WhereItRuns } from './WhereItRuns';

const POOL = 'gpupool:default/demo-aws-use1.g6-l4';
const CHECKOUT = 'file:/srv/portal/.data/gitops/checkouts/qwen-chat';

const model = (extra: {
  annotations?: Record<string, string>;
  spec?: any;
}) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'qwen-chat',
    namespace: 'default',
    annotations: extra.annotations ?? {},
  },
  spec: { owner: 'group:default/search-team', ...extra.spec },
  relations: [{ type: 'runsOn', targetRef: POOL }],
});

async function render(entity: any, locations: any[] = []) {
  const getEntities = jest.fn(async () => ({ items: locations }));
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, { getEntities } as any]]}>
      <EntityProvider entity={entity}>
        <WhereItRuns />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { getEntities };
}

describe('WhereItRuns', () => {
  it("links a demo model's pool, and no repository: it was deployed from none", async () => {
    const { getEntities } = await render(
      model({
        annotations: {
          'backstage.io/managed-by-location':
            'file:/srv/portal/examples/demo/models.yaml',
        },
      }),
    );
    const line = await screen.findByTestId('model-where-it-runs');
    expect(line).toHaveTextContent(/^Runs on /);
    expect(line.querySelector('a')).toHaveAttribute(
      'href',
      '/catalog/default/gpupool/demo-aws-use1.g6-l4',
    );
    await waitFor(() => expect(getEntities).toHaveBeenCalled());
    expect(screen.queryByText('GitOps repository')).not.toBeInTheDocument();
  });

  it("links a model deployed to the local GitOps target to its repository's Location, as the Deploy result page does", async () => {
    const location = `${CHECKOUT}/catalog-info.yaml`;
    const { getEntities } = await render(
      model({
        annotations: {
          'backstage.io/managed-by-location': location,
          'backstage.io/managed-by-origin-location': location,
        },
      }),
      [{ kind: 'Location', metadata: { name: 'gitops-qwen-chat' } }],
    );
    const repo = await screen.findByRole('link', { name: 'GitOps repository' });
    expect(repo).toHaveAttribute(
      'href',
      '/catalog/default/location/gitops-qwen-chat',
    );
    // The Location that registered the model from that file.
    expect(getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'Location',
          'metadata.annotations.backstage.io/managed-by-location': location,
        },
      }),
    );
    expect(screen.getByTestId('model-where-it-runs')).toHaveTextContent(
      /^Runs on .+ · GitOps repository$/,
    );
  });

  it("links a repository on a git host by the catalog's source location, in a new tab", async () => {
    const { getEntities } = await render(
      model({
        annotations: {
          'backstage.io/managed-by-location':
            'url:https://github.com/acme/qwen-chat/blob/main/catalog-info.yaml',
          'backstage.io/source-location':
            'url:https://github.com/acme/qwen-chat/tree/main/',
        },
      }),
    );
    const repo = await screen.findByRole('link', {
      name: 'GitOps repository, Opens in a new window',
    });
    expect(repo).toHaveAttribute(
      'href',
      'https://github.com/acme/qwen-chat/tree/main/',
    );
    expect(repo).toHaveAttribute('target', '_blank');
    expect(getEntities).not.toHaveBeenCalled();
  });

  it('falls back to spec.runsOn before the catalog relates the pool, and shows nothing with neither', async () => {
    const declared = {
      ...model({ spec: { runsOn: ['gpupool:default/c1.a100'] } }),
      relations: [],
    };
    await render(declared);
    expect(
      (await screen.findByTestId('model-where-it-runs')).querySelector('a'),
    ).toHaveAttribute('href', '/catalog/default/gpupool/c1.a100');
  });

  it('shows nothing for a model with no pool and no repository', async () => {
    await render({ ...model({}), relations: [] });
    await new Promise(r => setTimeout(r, 50));
    expect(screen.queryByTestId('model-where-it-runs')).not.toBeInTheDocument();
  });
});
