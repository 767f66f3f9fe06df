import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import type { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PlacementResponse } from '@modelfleet/plugin-modelfleet-common';
import { mockModelFleetApi } from '../../__testUtils__/fixtures';
import { modelfleetApiRef } from '../../api';
import { GpuPoolPicker } from './GpuPoolPicker';
import { gpuPoolPickerValidation } from './value';
// Jest parses YAML imports (the Backstage CLI's transform). The test reads
// the template the portal ships, outside any package.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import templateYaml from '../../../../../templates/deploy-model/template.yaml';

/** The GPU pool field of the Deploy a model template, as the catalog reads it. */
const templatePlacement = (
  templateYaml as unknown as {
    spec: { parameters: Array<{ properties: Record<string, any> }> };
  }
).spec.parameters.find(p => p.properties.placement)!.properties.placement;

// The field inside the scaffolder's own form: the stored value decides
// whether the form can go on to review and create.

const manifest: TemplateParameterSchema = {
  title: 'Deploy a model',
  steps: [
    {
      title: 'Model',
      schema: {
        required: ['name', 'gpuPool'],
        properties: {
          name: { type: 'string', title: 'Name' },
          parametersBillions: { type: 'number', title: 'Parameters (B)' },
          precision: { type: 'string', title: 'Precision' },
          gpuPool: {
            type: 'object',
            title: 'GPU pool',
            'ui:field': 'GpuPoolPicker',
            'ui:options': { debounceMs: 0 },
          },
        },
      },
    },
  ],
};

const pool = {
  ref: 'gpupool:default/demo-aws-use1.g6-l4',
  title: 'L4 on-demand (us-east-1)',
  cluster: 'demo-aws-use1',
  provider: 'aws' as const,
  region: 'us-east-1',
  capacityType: 'on-demand' as const,
  gpu: { product: 'NVIDIA-L4', memoryMiB: 23034, perNode: 4 },
};

function response(blocking: string[]): PlacementResponse {
  return {
    request: {
      name: 'm',
      memoryMiB: 19354,
      gpusPerReplica: 1,
      replicas: { min: 1, max: 1 },
      spot: 'allow',
      traffic: 'always-on',
    },
    memory: {
      weightsGiB: 14.9,
      kvCacheGiB: 3,
      runtimeOverheadGiB: 1,
      totalGiB: 18.9,
    },
    policy: {
      team: null,
      allowedGpuTypes: null,
      spot: 'allowed',
      monthlyBudgetUsd: null,
      teamForecastThisMonthUsd: null,
    },
    options: [
      {
        ...pool,
        rank: 1,
        replicasPerNode: 4,
        usdPerNodeHour: 4.6016,
        priceSource: 'aws-pricing-api',
        monthlyUsd: 839.79,
        monthlyUsdAtMax: 839.79,
        chargedMonthlyUsd: 839.79,
        chargedMonthlyUsdAtMax: 839.79,
        capacity: { freeUnits: 4, addableNodes: 2, source: 'kubernetes' },
        scheduling: { nodeSelector: {}, tolerations: [], gpuResource: 'x' },
        violations: [],
      },
    ],
    excluded: [],
    recommended: blocking.length ? null : pool.ref,
    blocking,
    method: 'exact',
  };
}

async function renderStepper(blocking: string[], field = {}) {
  const onCreate = jest.fn(async () => {});
  const api = mockModelFleetApi({
    placement: jest.fn(async () => response(blocking)),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[modelfleetApiRef, api]]}>
      <Stepper
        manifest={{
          ...manifest,
          steps: [
            {
              ...manifest.steps[0],
              schema: {
                ...manifest.steps[0].schema,
                properties: {
                  ...(manifest.steps[0].schema.properties as object),
                  gpuPool: {
                    ...(manifest.steps[0].schema.properties as any).gpuPool,
                    ...field,
                  },
                },
              },
            },
          ],
        }}
        extensions={[
          {
            name: 'GpuPoolPicker',
            component: GpuPoolPicker,
            validation: gpuPoolPickerValidation,
          },
        ]}
        initialState={{ name: 'm', parametersBillions: 8, precision: 'bf16' }}
        onCreate={onCreate}
      />
    </TestApiProvider>,
  );
  return { onCreate, api };
}

describe('GpuPoolPicker in the scaffolder form', () => {
  // The stepper scrolls to the top on each step; jsdom has no scrolling.
  beforeEach(() => {
    jest.spyOn(window, 'scrollTo').mockImplementation(() => {});
  });
  afterEach(() => jest.restoreAllMocks());

  // The scaffolder form takes a while to load in a test run.
  jest.setTimeout(30_000);

  it('passes the recommended pool on to the created task', async () => {
    const { onCreate, api } = await renderStepper([]);
    expect(
      await screen.findByRole('radio', { name: 'L4 on-demand (us-east-1)' }),
    ).toBeChecked();
    expect(api.placement).toHaveBeenCalledWith(
      expect.objectContaining({
        name: 'm',
        parametersBillions: 8,
        precision: 'bf16',
      }),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Create' }),
    );
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith(
      expect.objectContaining({
        gpuPool: expect.objectContaining({
          pool: 'gpupool:default/demo-aws-use1.g6-l4',
          monthlyUsd: 839.79,
          blocking: [],
        }),
      }),
    );
  });

  it("reviews the template's placement in words: pool, memory, what the team pays and the bill grows by, the policy checks", async () => {
    const { properties } = templatePlacement;
    await renderStepper([], { properties });
    expect(
      await screen.findByRole('radio', { name: 'L4 on-demand (us-east-1)' }),
    ).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await screen.findByRole('button', { name: 'Create' });

    const row = (title: string) =>
      screen.getByText(title).closest('tr')?.textContent;
    expect(row('GPU pool and cloud')).toContain(
      'L4 on-demand (us-east-1): AWS us-east-1, NVIDIA-L4 × 4 per node, on-demand',
    );
    expect(row('GPU memory')).toContain('18.9 GiB a replica fits');
    expect(row('Your team pays')).toContain('$839.79 a month at 1 replica');
    expect(row('The cloud bill grows by')).toContain(
      '$839.79 a month at 1 replica',
    );
    expect(row('Policy checks')).toContain('All passed');
    // No raw field names or figures.
    for (const raw of [/Monthly Usd/, /Blocking/, /Sharing/, /gpupool:/]) {
      expect(screen.queryByText(raw)).not.toBeInTheDocument();
    }
  });

  it('does not let a blocked placement through, and says why', async () => {
    const reason = "search-team's policy allows no GPU type these pools have";
    await renderStepper([reason]);
    expect(await screen.findByTestId('gpu-pool-blocking')).toHaveTextContent(
      reason,
    );

    await userEvent.click(screen.getByRole('button', { name: 'Review' }));
    await waitFor(() =>
      expect(
        screen.getAllByText(/Pick a GPU pool for the model/).length,
      ).toBeGreaterThan(0),
    );
    // The reason shows in the form's errors too, not only in the field.
    expect(screen.getAllByText(new RegExp(reason)).length).toBeGreaterThan(1);
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
  });
});
