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
    let openSecond: () => void = () => {};
    let openLater: () => void = () => {};
    const second = new Promise<void>(r => (openSecond = r));
    const later = new Promise<void>(r => (openLater = r));
    const load = jest.fn(async (): Promise<Report> => {
      n += 1;
      const report = { from: '2026-11-01', to: '2026-11-04', n };
      // The second load waits for the test, and so do all after it: what
      // the card shows never depends on how fast the machine is. A pending
      // load is never superseded by the next tick.
      if (n === 2) await second;
      if (n >= 3) await later;
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
    // The second load is pending: the first one's figures stay.
    await waitFor(() => expect(load.mock.calls.length).toBeGreaterThan(1));
    expect(screen.getByTestId('figure')).toHaveTextContent('load 1');
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
    openSecond();
    await waitFor(() =>
      expect(screen.getByTestId('figure')).toHaveTextContent('load 2'),
    );
    // While the third load is pending, the second one's figures stay, and no
    // fourth load supersedes it.
    await waitFor(() => expect(load.mock.calls.length).toBe(3));
    await new Promise(r => setTimeout(r, 200));
    expect(load.mock.calls.length).toBe(3);
    expect(screen.getByTestId('figure')).toHaveTextContent('load 2');
    expect(screen.queryByTestId('progress')).not.toBeInTheDocument();
    openLater();
    await waitFor(() =>
      expect(screen.getByTestId('figure')).not.toHaveTextContent('load 2'),
    );
    expect(screen.getByTestId('figure')).toHaveTextContent(/load ([3-9]|\d\d)/);
  });
});
