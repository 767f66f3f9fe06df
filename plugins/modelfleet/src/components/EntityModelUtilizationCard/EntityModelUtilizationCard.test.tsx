import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { COST_IDEAS } from '@modelfleet/plugin-modelfleet-common';
import { utilizationChartData } from '../CostCommon';
import { screen } from '@testing-library/react';
import {
  mockModelFleetApi,
  responseError,
  utilizationReport,
} from '../../__testUtils__/fixtures';
import { CardApis } from '../../__testUtils__/permissions';
import { ModelFleetApi } from '../../api';
import { EntityModelUtilizationCard } from './EntityModelUtilizationCard';

const model = {
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-1-8b-chat' },
  spec: {},
};

async function render(api: ModelFleetApi) {
  return renderInTestApp(
    <CardApis api={api}>
      <EntityProvider entity={model}>
        <EntityModelUtilizationCard />
      </EntityProvider>
    </CardApis>,
  );
}

describe('EntityModelUtilizationCard', () => {
  it('shows mean utilization, memory, idle share and idle cost with the chart', async () => {
    const api = mockModelFleetApi({
      getEntityUtilization: jest.fn(async () =>
        utilizationReport({ demo: true }),
      ),
    });
    await render(api);

    expect(
      await screen.findByTestId('model-gpu-utilization'),
    ).toHaveTextContent('62.0%');
    expect(screen.getByText('18.0 GiB of 22.3 GiB')).toBeInTheDocument();
    expect(screen.getByTestId('model-idle-share')).toHaveTextContent('30.0%');
    expect(screen.getByTestId('model-unused-cost')).toHaveTextContent('$42.50');
    expect(
      screen.getByLabelText(
        `Allocated but unused: ${COST_IDEAS.unused.definition}`,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', {
        name: 'GPU utilization and memory per day, 1 Nov 2026 – 3 Nov 2026',
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('modelfleet-provenance')).toHaveTextContent(
      /dcgm-exporter through Prometheus/,
    );
    expect(screen.getByText('Demo data')).toBeInTheDocument();
    expect(api.getEntityUtilization).toHaveBeenCalledWith(
      { kind: 'model', namespace: 'default', name: 'llama-3-1-8b-chat' },
      undefined,
    );
  });

  it('shows GPU memory per replica against what a replica holds, with the replica count', async () => {
    const report = utilizationReport({
      // 40.2 GiB over two one-L4 replicas: 20.1 GiB each of 22.5 GiB.
      memoryUsedMiB: 41165,
      memoryPerGpuMiB: 20582.5,
      model: {
        replicas: 2,
        gpusPerReplica: 1,
        memoryPerReplicaMiB: 23034,
        gpu: 'L4',
      },
    });
    await render(
      mockModelFleetApi({ getEntityUtilization: jest.fn(async () => report) }),
    );
    expect(await screen.findByTestId('model-gpu-memory')).toHaveTextContent(
      '20.1 GiB of 22.5 GiB',
    );
    expect(screen.getByText('GPU memory per replica')).toBeInTheDocument();
    expect(
      screen.getByText(
        '2 replicas now, 1 L4 GPU each; 40.2 GiB over all replicas',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', {
        name: 'GPU utilization and memory per replica per day, 1 Nov 2026 – 3 Nov 2026',
      }),
    ).toBeInTheDocument();
    // The chart plots each day per replica (the fixture's per-GPU figures).
    expect(utilizationChartData(report).map(p => p.memoryGiB)).toEqual([
      8, 9, 10,
    ]);
  });

  it('shows a dash for a figure without metrics', async () => {
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(async () =>
          utilizationReport({ gpuUtilization: null, memoryTotalMiB: null }),
        ),
      }),
    );
    expect(
      await screen.findByTestId('model-gpu-utilization'),
    ).toHaveTextContent('—');
    expect(screen.getByText('18.0 GiB')).toBeInTheDocument();
  });

  it('says why there is no utilization data yet', async () => {
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(async () =>
          utilizationReport({
            gpuUtilization: null,
            memoryUsedMiB: null,
            idleShare: null,
            unusedUsd: 0,
            idleCostUsd: 0,
            series: [
              {
                date: '2026-11-01',
                gpuUtilization: null,
                memoryUsedMiB: null,
                memoryPerGpuMiB: null,
                idleShare: null,
                unusedUsd: 0,
                idleCostUsd: 0,
              },
            ],
          }),
        ),
      }),
    );
    expect(
      await screen.findByText('No utilization data yet'),
    ).toBeInTheDocument();
    expect(screen.getByText(/DCGM_FI_DEV_GPU_UTIL/)).toBeInTheDocument();
    expect(
      screen.queryByTestId('model-gpu-utilization'),
    ).not.toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(() => new Promise(() => {})),
      }),
    );
    expect(
      await screen.findByTestId('progress', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });

  it("says the costs are not the caller's on a 403", async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'modelfleet.cost.read is denied',
    );
    await render(
      mockModelFleetApi({
        getEntityUtilization: jest.fn(() => Promise.reject(error)),
      }),
    );
    // The test model names no owner.
    expect(
      await screen.findByTestId('modelfleet-costs-not-allowed'),
    ).toHaveTextContent(
      'These costs belong to the team that owns this entity. Only its members and the platform team can see them.',
    );
  });
});
