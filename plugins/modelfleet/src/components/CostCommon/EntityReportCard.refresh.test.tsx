import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { mockModelFleetApi } from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { EntityReportCard } from './EntityReportCard';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'detector', namespace: 'default' },
  spec: { owner: 'group:default/vision-team' },
};

type Report = { from: string; to: string; n: number };

describe('EntityReportCard with refreshSeconds', () => {
  it('reloads the report and keeps the last figures on screen meanwhile', async () => {
    let n = 0;
    let open: () => void = () => {};
    const gate = new Promise<void>(r => (open = r));
    const load = jest.fn(async (): Promise<Report> => {
      n += 1;
      const report = { from: '2026-11-01', to: '2026-11-04', n };
      // From the third load on, loads wait until the test opens the gate.
      if (n >= 3) await gate;
      return report;
    });
    await renderInTestApp(
      <CardApis api={mockModelFleetApi()}>
        <EntityProvider entity={model}>
          <EntityReportCard<Report, 'model'>
            title="Test"
            kind="model"
            load={load}
            periodOf={v => v}
            demoOf={() => false}
            refreshSeconds={0.05}
          >
            {r => <span data-testid="figure">load {r.n}</span>}
          </EntityReportCard>
        </EntityProvider>
      </CardApis>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByTestId('figure')).toHaveTextContent('load 1');
    await waitFor(() =>
      expect(screen.getByTestId('figure')).toHaveTextContent('load 2'),
    );
    // While later loads are pending, the second one's figures stay.
    await waitFor(() => expect(load.mock.calls.length).toBeGreaterThan(3));
    expect(screen.getByTestId('figure')).toHaveTextContent('load 2');
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
    open();
    await waitFor(() =>
      expect(screen.getByTestId('figure')).not.toHaveTextContent('load 2'),
    );
    expect(screen.getByTestId('figure')).toHaveTextContent(/load ([3-9]|\d\d)/);
  });
});
