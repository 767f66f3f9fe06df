import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ModelHibernationReport } from '@modelfleet/plugin-modelfleet-common';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import {
  hibernationReport,
  wake,
} from '../../__testUtils__/hibernationFixtures';
import { Authorize, CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { formatGpuHours, formatUsd } from '../CostCommon';
import { EntityModelHibernationCard } from './EntityModelHibernationCard';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-chat', namespace: 'search' },
  spec: { owner: 'group:default/search-team' },
};

async function render(api: ModelFleetApi, authorize?: Authorize) {
  return renderInTestApp(
    <CardApis api={api} authorize={authorize}>
      <EntityProvider entity={model}>
        <EntityModelHibernationCard />
      </EntityProvider>
    </CardApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const withReport = (overrides: Partial<ModelHibernationReport> = {}) =>
  mockModelFleetApi({
    getModelHibernation: jest.fn(async () => hibernationReport(overrides)),
  });

describe('EntityModelHibernationCard', () => {
  it('shows a warm model: state, mode, keep-alive and why, decision, wakes, next change and savings', async () => {
    const api = withReport();
    await render(api);

    expect(await screen.findByTestId('hibernation-state')).toHaveTextContent(
      'Warm',
    );
    expect(screen.getByText('Model hibernation')).toBeInTheDocument();
    expect(screen.getByText('1 Nov 2026 – 3 Nov 2026')).toBeInTheDocument();
    expect(screen.getByText('1 of 1 replica ready')).toBeInTheDocument();
    expect(screen.getByTestId('hibernation-mode')).toHaveTextContent(
      'ModelFleet acts.',
    );
    expect(screen.queryByTestId('hibernation-dry-run')).not.toBeInTheDocument();
    expect(screen.getByTestId('hibernation-keep-alive')).toHaveTextContent(
      '8 min',
    );
    // The reason shows under the keep-alive and with the last decision.
    expect(
      screen.getAllByText(/gaps after 10:00 are mostly under 6 minutes/),
    ).toHaveLength(2);
    // The autoscaler holds the learned keep-alive: no second figure.
    expect(
      screen.queryByTestId('hibernation-keep-alive-set'),
    ).not.toBeInTheDocument();
    expect(screen.getByTestId('hibernation-decision')).toHaveTextContent(
      'No change: gaps after 10:00 are mostly under 6 minutes3 Nov 2026, 10:15 UTC',
    );
    expect(screen.getByTestId('hibernation-wakes-count')).toHaveTextContent(
      '3',
    );
    expect(screen.getByTestId('hibernation-cold-starts')).toHaveTextContent(
      '2',
    );
    expect(screen.getByTestId('hibernation-wake-p50')).toHaveTextContent(
      '41.5 s',
    );
    expect(screen.getByTestId('hibernation-wake-p95')).toHaveTextContent(
      '89.7 s',
    );
    const rows = within(screen.getByTestId('hibernation-wakes'))
      .getAllByRole('row')
      .map(r => r.textContent);
    expect(rows).toEqual([
      'StartedTo readyWoken by',
      '3 Nov 2026, 09:58 UTC38 sCold start',
      '2 Nov 2026, 08:50 UTC41.5 sPre-warm',
      '1 Nov 2026, 14:02 UTC95 sCold start',
    ]);
    expect(screen.getByTestId('hibernation-next-change')).toHaveTextContent(
      'goes to zero when the keep-alive runs out at 3 Nov 2026, 10:23 UTC',
    );
    expect(screen.getByTestId('hibernation-saving')).toHaveTextContent(
      'Saved $1,234.57 (41.3 GPU‑h) against one replica always on, at the showback price.',
    );
    expect(screen.queryByTestId('hibernation-missing')).not.toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
    expect(api.getModelHibernation).toHaveBeenCalledWith(
      { namespace: 'search', name: 'llama-3-1-8b-chat' },
      undefined,
    );
  });

  it('gives the saving stable test ids, formatted as the cost cards format money', async () => {
    await render(withReport({ savings: { gpuHours: 1234.56, usd: 987.654 } }));
    expect(
      await screen.findByTestId('hibernation-saving-usd'),
    ).toHaveTextContent(/^\$987\.65$/);
    expect(screen.getByTestId('hibernation-saving-usd').textContent).toBe(
      formatUsd(987.654),
    );
    expect(screen.getByTestId('hibernation-saving-gpu-hours').textContent).toBe(
      formatGpuHours(1234.56),
    );
    expect(
      screen.getByTestId('hibernation-saving-gpu-hours'),
    ).toHaveTextContent(/^1,234\.6 GPU‑h$/);
  });

  it('shows a model at zero under recommend with a dry run and a planned decision', async () => {
    await render(
      withReport({
        state: 'atZero',
        replicas: { desired: 0, ready: 0 },
        mode: 'recommend',
        dryRun: true,
        decision: {
          action: 'hibernate',
          reason: 'idle for 9 min, past the 8 min keep-alive',
          at: '2026-11-03T10:24:00Z',
          actionId: 'act-42',
        },
        nextChange: {
          at: '2026-11-04T08:45:00Z',
          what: 'pre-warms for the 09:00 window',
        },
      }),
    );
    expect(await screen.findByTestId('hibernation-state')).toHaveTextContent(
      'At zero',
    );
    expect(screen.getByText('0 of 0 replicas ready')).toBeInTheDocument();
    expect(screen.getByTestId('hibernation-mode')).toHaveTextContent(
      'ModelFleet recommends; actions wait for approval.',
    );
    expect(screen.getByTestId('hibernation-dry-run')).toHaveTextContent(
      /^Dry run: the team's actions stop at planned/,
    );
    expect(screen.getByTestId('hibernation-decision')).toHaveTextContent(
      'Take to zero: idle for 9 min, past the 8 min keep-alive3 Nov 2026, 10:24 UTC · became action act-42, listed in Model activity',
    );
    expect(screen.getByTestId('hibernation-next-change')).toHaveTextContent(
      'pre-warms for the 09:00 window at 4 Nov 2026, 08:45 UTC',
    );
  });

  it('shows a waking model and its wake still under way', async () => {
    await render(
      withReport({
        state: 'waking',
        replicas: { desired: 1, ready: 0 },
        decision: {
          action: 'wake',
          replicas: 1,
          reason: 'pre-warm: traffic starts around 09:00',
          at: '2026-11-03T08:45:00Z',
        },
        wakes: [
          wake('2026-11-03T08:45:00Z', undefined, false),
          wake('2026-11-02T08:45:00Z', 40, false),
        ],
        coldStarts: 0,
        wakeSeconds: { p50: 40, p95: 40 },
      }),
    );
    expect(await screen.findByTestId('hibernation-state')).toHaveTextContent(
      'Waking…',
    );
    expect(screen.getByText('0 of 1 replica ready')).toBeInTheDocument();
    expect(screen.getByTestId('hibernation-decision')).toHaveTextContent(
      /Wake to 1 replica: pre-warm: traffic starts around 09:00/,
    );
    const rows = within(screen.getByTestId('hibernation-wakes')).getAllByRole(
      'row',
    );
    expect(rows[1]).toHaveTextContent('3 Nov 2026, 08:45 UTCwaking…Pre-warm');
  });

  it('says what is set on the autoscaler when it differs from the learned keep-alive', async () => {
    await render(
      withReport({
        autoscaler: {
          cluster: 'prod-use1',
          namespace: 'search',
          kind: 'ScaledObject',
          name: 'llama-chat',
          keepAliveSeconds: 300,
        },
        keepAlive: { seconds: 500, reason: 'gaps are mostly under 8 min' },
      }),
    );
    expect(
      await screen.findByTestId('hibernation-keep-alive'),
    ).toHaveTextContent('8 min 20 s');
    expect(screen.getByTestId('hibernation-keep-alive-set')).toHaveTextContent(
      'Set on ScaledObject llama-chat: 5 min',
    );
  });

  it('says a model with no keep-alive stays warm, under mode off', async () => {
    await render(
      withReport({
        mode: 'off',
        keepAlive: { seconds: null, reason: 'the team turned hibernation off' },
      }),
    );
    expect(
      await screen.findByTestId('hibernation-keep-alive'),
    ).toHaveTextContent('Stays warm');
    expect(screen.getByTestId('hibernation-mode')).toHaveTextContent(
      'Hibernation is off: ModelFleet does not take this model to zero.',
    );
    expect(screen.getByTestId('hibernation-keep-alive-set')).toHaveTextContent(
      'Set on ScaledObject llama-chat: 8 min',
    );
  });

  it('shows a model of the sleep idle tier asleep: keep-alive, how it wakes, and why nothing is saved', async () => {
    await render(
      withReport({
        state: 'asleep',
        idleTier: 'sleep',
        sleepWakeSeconds: 5,
        autoscaler: undefined,
        wakes: [
          {
            startedAt: '2026-12-04T11:40:00.250Z',
            readyAt: '2026-12-04T11:40:04.750Z',
            seconds: 4.5,
            cold: true,
          },
        ],
        coldStarts: 1,
        wakeSeconds: { p50: 4.5, p95: 4.5 },
        keepAlive: {
          seconds: 0,
          reason:
            "this model's last 131 idle gaps are mostly longer than a wake and a cold start (38 s): to sleep at once",
        },
        savings: { gpuHours: 0, usd: 0 },
      }),
    );
    expect(await screen.findByTestId('hibernation-state')).toHaveTextContent(
      'Asleep',
    );
    expect(screen.getByTestId('hibernation-keep-alive')).toHaveTextContent(
      'To sleep at once',
    );
    expect(screen.getByTestId('hibernation-sleep-tier')).toHaveTextContent(
      'its wake gate wakes it on the next request, in about 5 s.',
    );
    // Not wakes from zero: its engine's, those requests caused timed by the gate.
    expect(screen.queryByText(/Wakes from zero/)).not.toBeInTheDocument();
    expect(screen.getByText(/^Engine wakes, /)).toBeInTheDocument();
    expect(screen.getByTestId('hibernation-cold-starts')).toHaveTextContent(
      '1',
    );
    expect(screen.getByText('Woken by a request')).toBeInTheDocument();
    expect(screen.getByTestId('hibernation-wakes')).toHaveTextContent(
      'A request',
    );
    expect(screen.getByTestId('hibernation-saving')).toHaveTextContent(
      'it keeps its share of the GPU, so showback charges it as before',
    );
  });

  it('shows dashes and a sentence for a period without wakes', async () => {
    await render(
      withReport({
        wakes: [],
        coldStarts: 0,
        wakeSeconds: { p50: null, p95: null },
        savings: { gpuHours: 0, usd: 0 },
      }),
    );
    expect(await screen.findByTestId('hibernation-wake-p50')).toHaveTextContent(
      '—',
    );
    expect(screen.getByTestId('hibernation-wake-p95')).toHaveTextContent('—');
    expect(screen.getByTestId('hibernation-wakes-count')).toHaveTextContent(
      '0',
    );
    expect(
      screen.getByText('The model did not wake from zero in this period.'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('hibernation-wakes')).not.toBeInTheDocument();
    expect(screen.getByTestId('hibernation-saving-usd')).toHaveTextContent(
      '$0.00',
    );
    expect(
      screen.getByTestId('hibernation-saving-gpu-hours'),
    ).toHaveTextContent('0 GPU‑h');
  });

  it('says why the workload cannot be read, and keeps what was recorded', async () => {
    await render(
      withReport({
        state: undefined,
        replicas: undefined,
        autoscaler: undefined,
        keepAlive: undefined,
        decision: undefined,
        nextChange: undefined,
        missing: 'cluster prod-use1 is unreachable',
      }),
    );
    expect(await screen.findByTestId('hibernation-missing')).toHaveTextContent(
      "ModelFleet cannot read this model's workload now: cluster prod-use1 is unreachable.",
    );
    expect(screen.queryByTestId('hibernation-state')).not.toBeInTheDocument();
    expect(
      screen.getByText(/has not learned a keep-alive for this model yet/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('hibernation-wakes-count')).toHaveTextContent(
      '3',
    );
    expect(screen.getByTestId('hibernation-saving-usd')).toHaveTextContent(
      '$1,234.57',
    );
  });

  it('labels a model of the demo fleet', async () => {
    await render(withReport({ demo: true }));
    expect(await screen.findByText('Demo data')).toBeInTheDocument();
  });

  it('reads the period chosen, as the cost cards do', async () => {
    const api = withReport();
    await render(api);
    await screen.findByTestId('hibernation-state');
    expect(api.getModelHibernation).toHaveBeenLastCalledWith(
      { namespace: 'search', name: 'llama-3-1-8b-chat' },
      undefined,
    );
    const select = screen.getByLabelText('Period');
    fireEvent.change(select, { target: { value: '7' } });
    await waitFor(() =>
      expect(api.getModelHibernation).toHaveBeenLastCalledWith(
        { namespace: 'search', name: 'llama-3-1-8b-chat' },
        {
          from: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          to: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        },
      ),
    );
  });

  it('shows progress while the report loads', async () => {
    await render(
      mockModelFleetApi({
        getModelHibernation: jest.fn(() => new Promise(() => {})),
      }),
    );
    await screen.findByTestId('progress', undefined, { timeout: 10_000 });
    expect(screen.queryByTestId('hibernation-state')).not.toBeInTheDocument();
  });

  it('says whose costs these are on a 403, without an error', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'modelfleet.cost.read is not allowed on model:search/llama-3-1-8b-chat',
    );
    await render(
      mockModelFleetApi({
        getModelHibernation: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent(
      'These costs belong to search-team. Only its members and the platform team can see them.',
    );
    expect(screen.queryByText(/Warning|Error/)).not.toBeInTheDocument();
    expect(screen.queryByText(/is not allowed on/)).not.toBeInTheDocument();
  });

  it('reads nothing when the permission framework says no', async () => {
    const api = withReport();
    await render(api, AuthorizeResult.DENY);
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent(/^These costs belong to search-team\./);
    expect(api.getModelHibernation).not.toHaveBeenCalled();
  });

  it('says when the backend does not know the model', async () => {
    const error = await responseError(
      404,
      'NotFoundError',
      'No model search/llama-3-1-8b-chat',
    );
    await render(
      mockModelFleetApi({
        getModelHibernation: jest.fn(() => Promise.reject(error)),
      }),
    );
    expect(
      await screen.findByText(
        'Info: ModelFleet has no record of the model search/llama-3-1-8b-chat',
      ),
    ).toBeInTheDocument();
  });
});
