import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  PlacementOption,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { useState } from 'react';
import { mockModelFleetApi, responseError } from '../../__testUtils__/fixtures';
import { ModelFleetApi, modelfleetApiRef } from '../../api';
import { GpuPoolPicker } from './GpuPoolPicker';
import {
  GpuPoolPickerUiOptions,
  gpuPoolPickerValidation,
  GpuPoolPickerValue,
  NO_POOL_PICKED,
} from './value';
import { placementInputs } from './request';

const summary = (name: string, title: string) => ({
  ref: `gpupool:default/${name}`,
  title,
  cluster: 'demo-aws-use1',
  provider: 'aws' as const,
  region: 'us-east-1',
  instanceType: 'g6.12xlarge',
  capacityType: 'on-demand' as const,
  gpu: { product: 'NVIDIA-L4', memoryMiB: 23034, perNode: 4 },
});

const option = (
  name: string,
  title: string,
  rank: number,
  overrides: Partial<PlacementOption> = {},
): PlacementOption => ({
  ...summary(name, title),
  rank,
  replicasPerNode: 4,
  usdPerNodeHour: 4.6016,
  priceSource: 'aws-pricing-api',
  monthlyUsd: 839.79 * rank,
  monthlyUsdAtMax: 3359.17 * rank,
  chargedMonthlyUsd: 839.79 * rank,
  chargedMonthlyUsdAtMax: 3359.17 * rank,
  capacity: { freeUnits: 6, addableNodes: 3, source: 'kubernetes' },
  scheduling: {
    nodeSelector: { 'node.kubernetes.io/instance-type': 'g6.12xlarge' },
    tolerations: [],
    gpuResource: 'nvidia.com/gpu',
  },
  violations: [],
  ...overrides,
});

function placementResponse(
  overrides: Partial<PlacementResponse> = {},
): PlacementResponse {
  return {
    request: {
      name: 'llama-3-1-8b-chat',
      memoryMiB: 20070,
      gpusPerReplica: 1,
      replicas: { min: 1, max: 4 },
      spot: 'allow',
      traffic: 'always-on',
    },
    memory: {
      weightsGiB: 14.9,
      kvCacheGiB: 3.0,
      runtimeOverheadGiB: 1.0,
      totalGiB: 18.9,
    },
    policy: {
      team: 'group:default/search-team',
      allowedGpuTypes: ['NVIDIA-L4', 'NVIDIA-A10G'],
      spot: 'allowed',
      monthlyBudgetUsd: 5000,
      teamForecastThisMonthUsd: 1234.5,
    },
    options: [
      option('demo-aws-use1.g6-l4', 'L4 on-demand (us-east-1)', 1),
      option('demo-gcp-usc1.g2-l4', 'L4 on GCP (us-central1)', 2, {
        provider: 'gcp',
        region: 'us-central1',
        cluster: 'demo-gcp-usc1',
        priceSource: 'gcp-billing-catalog',
      }),
      option('demo-aws-use1.p5-h100', 'H100 (us-east-1)', 3, {
        gpu: { product: 'NVIDIA-H100', memoryMiB: 81559, perNode: 8 },
        violations: [
          {
            code: 'budget',
            reason: '$9,000.00/month exceeds the model budget of $5,000.00',
          },
        ],
      }),
    ],
    excluded: [
      {
        ...summary('demo-aws-use1.g5-a10g-spot', 'A10G spot (us-east-1)'),
        capacityType: 'spot',
        code: 'spot-forbidden',
        reason: "search-team's policy forbids spot capacity",
      },
      {
        ...summary('demo-azure-weu.t4', 'T4 (westeurope)'),
        provider: 'azure',
        region: 'westeurope',
        gpu: { product: 'NVIDIA-T4', memoryMiB: 15360, perNode: 1 },
        code: 'gpu-memory',
        reason: '18.9 GiB per replica does not fit in 15.0 GiB of a T4',
      },
    ],
    recommended: 'gpupool:default/demo-aws-use1.g6-l4',
    blocking: [],
    method: 'exact',
    ...overrides,
  };
}

const form = {
  name: 'llama-3-1-8b-chat',
  owner: 'group:default/search-team',
  runtime: 'vllm',
  parametersBillions: 8,
  precision: 'bf16',
  gpusPerReplica: 1,
  replicasMin: 1,
  replicasMax: 4,
  traffic: 'always-on',
  spot: 'allow',
  regions: ['us-east-1', 'us-central1'],
  monthlyBudgetUsd: 5000,
};

/** The field as the scaffolder's form renders it: it owns the value. */
const Field = (props: {
  formData?: Record<string, unknown>;
  initial?: GpuPoolPickerValue;
  uiOptions?: GpuPoolPickerUiOptions;
  onChange: jest.Mock;
}) => {
  const [value, setValue] = useState(props.initial);
  return (
    <GpuPoolPicker
      {...({} as any)}
      schema={{ type: 'object', title: 'GPU pool' }}
      uiSchema={{ 'ui:options': { debounceMs: 0, ...props.uiOptions } }}
      idSchema={{ $id: 'root_gpuPool' } as any}
      formData={value}
      formContext={{
        formData: { ...(props.formData ?? form), gpuPool: value },
      }}
      rawErrors={[]}
      required
      onChange={(next: GpuPoolPickerValue) => {
        props.onChange(next);
        setValue(next);
      }}
    />
  );
};

async function renderField(
  api: Partial<ModelFleetApi>,
  props: Partial<Parameters<typeof Field>[0]> = {},
) {
  const onChange = jest.fn();
  const mockApi = mockModelFleetApi(api);
  const element = (p: Partial<Parameters<typeof Field>[0]>) => (
    <TestApiProvider apis={[[modelfleetApiRef, mockApi]]}>
      <Field onChange={onChange} {...props} {...p} />
    </TestApiProvider>
  );
  const result = await renderInTestApp(element({}));
  return {
    onChange,
    rerender: (p: Partial<Parameters<typeof Field>[0]>) =>
      result.rerender(element(p)),
  };
}

describe('GpuPoolPicker', () => {
  it('asks for the model described by the form and lists the fitting pools by rank', async () => {
    const placement = jest.fn(async () => placementResponse());
    await renderField({ placement });

    const rows = await screen.findAllByTestId('gpu-pool-option');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('L4 on-demand (us-east-1)');
    expect(rows[0]).toHaveTextContent('Recommended');
    expect(rows[0]).toHaveTextContent('AWS us-east-1');
    expect(rows[0]).toHaveTextContent('NVIDIA-L4 × 4');
    expect(rows[0]).toHaveTextContent('on-demand');
    expect(rows[0]).toHaveTextContent('$4.6016');
    expect(rows[0]).toHaveTextContent('aws-pricing-api');
    expect(rows[0]).toHaveTextContent('$839.79');
    expect(rows[0]).toHaveTextContent('$3,359.17');
    expect(rows[0]).toHaveTextContent('6 free GPUs, 3 addable nodes');
    expect(rows[1]).toHaveTextContent('GCP us-central1');
    expect(rows[1]).toHaveTextContent('gcp-billing-catalog');
    expect(
      screen.getByRole('heading', { name: 'GPU pools that fit' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('radiogroup', { name: 'GPU pools that fit' }),
    ).toBeInTheDocument();

    expect(placement).toHaveBeenNthCalledWith(1, {
      name: 'llama-3-1-8b-chat',
      owner: 'group:default/search-team',
      runtime: 'vllm',
      parametersBillions: 8,
      precision: 'bf16',
      gpusPerReplica: 1,
      replicas: { min: 1, max: 4 },
      traffic: 'always-on',
      spot: 'allow',
      regions: ['us-east-1', 'us-central1'],
      monthlyBudgetUsd: 5000,
    });
  });

  it('shows the memory per replica, the policy and why pools are excluded', async () => {
    await renderField({ placement: jest.fn(async () => placementResponse()) });

    expect(await screen.findByTestId('gpu-pool-memory')).toHaveTextContent(
      '18.9 GiB = 14.9 GiB weights + 3.0 GiB KV-cache headroom + 1.0 GiB runtime overhead',
    );
    const policy = screen.getByTestId('gpu-pool-policy');
    expect(policy).toHaveTextContent('Team: group:default/search-team');
    expect(policy).toHaveTextContent(
      'Allowed GPU types: NVIDIA-L4, NVIDIA-A10G',
    );
    expect(policy).toHaveTextContent(
      'Spot capacity: allowed (requested: allow)',
    );
    expect(policy).toHaveTextContent(
      'Team budget: $5,000.00/month, $1,234.50 forecast for this month',
    );

    expect(screen.getByText('Pools that do not fit (2)')).toBeInTheDocument();
    const excluded = screen.getAllByTestId('gpu-pool-excluded');
    expect(excluded[0]).toHaveTextContent(
      "A10G spot (us-east-1) (demo-aws-use1, AWS us-east-1, NVIDIA-L4 × 4, spot): search-team's policy forbids spot capacity",
    );
    expect(excluded[1]).toHaveTextContent(
      '18.9 GiB per replica does not fit in 15.0 GiB of a T4',
    );
  });

  it('picks the recommended pool when none is picked, and asks again with it', async () => {
    const placement = jest.fn(async () => placementResponse());
    const { onChange } = await renderField({ placement });

    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        pool: 'gpupool:default/demo-aws-use1.g6-l4',
        monthlyUsd: 839.79,
        blocking: [],
        // What the Review step shows, in words.
        summary: {
          pool: 'L4 on-demand (us-east-1): AWS us-east-1, g6.12xlarge, NVIDIA-L4 × 4 per node, on-demand',
          memory:
            '18.9 GiB a replica fits: 22.5 GiB per GPU, 4 replicas per node',
          teamPays: '$839.79 a month at 1 replica, $3,359.17 at 4',
          billGrows: '$839.79 a month at 1 replica, $3,359.17 at 4',
          policy:
            "All passed: NVIDIA-L4 is a GPU type search-team allows; on-demand capacity; within search-team's budget of $5,000.00 a month ($1,234.50 forecast)",
        },
      }),
    );
    expect(
      screen.getByRole('radio', { name: 'L4 on-demand (us-east-1)' }),
    ).toBeChecked();
    await waitFor(() =>
      expect(placement).toHaveBeenLastCalledWith(
        expect.objectContaining({
          pool: 'gpupool:default/demo-aws-use1.g6-l4',
        }),
      ),
    );
  });

  it("carries the picked pool's GPU sharing, for the template's idle tier", async () => {
    const shared = option('demo-gcp-usc1.g2-l4-shared', 'Shared L4', 1, {
      gpu: {
        product: 'NVIDIA-L4',
        memoryMiB: 23034,
        perNode: 1,
        sharing: 'time-slicing',
      },
    });
    const placement = jest.fn(async () =>
      placementResponse({ recommended: shared.ref, options: [shared] }),
    );
    const { onChange } = await renderField({ placement });
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({
          pool: 'gpupool:default/demo-gcp-usc1.g2-l4-shared',
          monthlyUsd: 839.79,
          blocking: [],
          sharing: 'time-slicing',
        }),
      ),
    );
  });

  it('keeps a pool picked before', async () => {
    const placement = jest.fn(async () => placementResponse());
    const { onChange } = await renderField(
      { placement },
      { initial: { pool: 'gpupool:default/demo-gcp-usc1.g2-l4' } },
    );
    expect(
      await screen.findByRole('radio', { name: 'L4 on GCP (us-central1)' }),
    ).toBeChecked();
    expect(placement).toHaveBeenCalledWith(
      expect.objectContaining({ pool: 'gpupool:default/demo-gcp-usc1.g2-l4' }),
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        expect.objectContaining({
          pool: 'gpupool:default/demo-gcp-usc1.g2-l4',
          monthlyUsd: 1679.58,
          blocking: [],
        }),
      ),
    );
  });

  it('stores the pool the user clicks, and cannot pick one that breaks the policy', async () => {
    const placement = jest.fn(async () => placementResponse());
    const { onChange } = await renderField({ placement });
    const gcp = await screen.findByRole('radio', {
      name: 'L4 on GCP (us-central1)',
    });

    await userEvent.click(gcp);
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        pool: 'gpupool:default/demo-gcp-usc1.g2-l4',
        monthlyUsd: 1679.58,
        blocking: [],
      }),
    );
    expect(gcp).toBeChecked();
    await waitFor(() =>
      expect(placement).toHaveBeenLastCalledWith(
        expect.objectContaining({
          pool: 'gpupool:default/demo-gcp-usc1.g2-l4',
        }),
      ),
    );

    const h100 = screen.getByRole('radio', { name: 'H100 (us-east-1)' });
    expect(h100).toBeDisabled();
    const row = screen.getAllByTestId('gpu-pool-option')[2];
    expect(row).toHaveTextContent(
      'Not allowed: $9,000.00/month exceeds the model budget of $5,000.00',
    );
  });

  it('ranks the pools by what the team pays when the user asks, keeping the pick', async () => {
    // Rank 1 adds nothing to the bill (free GPUs on a running node) but
    // charges the team the most; the spot pool charges it a third.
    const free = option('demo-aws-use1.g6-l4', 'L4 free GPUs', 1, {
      monthlyUsd: 0,
      monthlyUsdAtMax: 0,
      chargedMonthlyUsd: 1679.58,
      chargedMonthlyUsdAtMax: 3359.16,
    });
    const spot = option('demo-aws-use1.g6-l4-spot', 'L4 spot', 2, {
      capacityType: 'spot',
      monthlyUsd: 253.31,
      monthlyUsdAtMax: 506.62,
      chargedMonthlyUsd: 506.62,
      chargedMonthlyUsdAtMax: 1013.24,
    });
    const placement = jest.fn(async () =>
      placementResponse({ recommended: free.ref, options: [free, spot] }),
    );
    await renderField({ placement });
    await screen.findByRole('radio', { name: 'L4 free GPUs' });
    const rows = () =>
      screen
        .getAllByTestId('gpu-pool-option')
        .map(r => r.querySelectorAll('td')[1].textContent);
    expect(rows()).toEqual(['1Recommended', '2']);
    expect(screen.getAllByTestId('gpu-pool-option')[0]).toHaveTextContent(
      'L4 free GPUs',
    );

    await userEvent.click(screen.getByTestId('gpu-pool-order-team'));
    const [first, second] = screen.getAllByTestId('gpu-pool-option');
    expect(first).toHaveTextContent('L4 spot');
    expect(within(first).getByTestId('gpu-pool-team-pays')).toHaveTextContent(
      '$506.62',
    );
    expect(second).toHaveTextContent('L4 free GPUs');
    expect(rows()).toEqual(['1', '2Recommended']);
    expect(screen.getByText(/^Ranked by what showback charges/)).toBeVisible();
    // Ordering is a view: the pick stays.
    expect(screen.getByRole('radio', { name: 'L4 free GPUs' })).toBeChecked();

    await userEvent.click(screen.getByTestId('gpu-pool-order-bill'));
    expect(screen.getAllByTestId('gpu-pool-option')[0]).toHaveTextContent(
      'L4 free GPUs',
    );
  });

  it('shows blocking reasons and stores them so validation refuses the form', async () => {
    const reason =
      "search-team's remaining budget ($120.00) is below the cheapest pool's $839.79/month";
    const placement = jest.fn(async () =>
      placementResponse({ recommended: null, blocking: [reason] }),
    );
    const { onChange } = await renderField({ placement });

    const alert = await screen.findByTestId('gpu-pool-blocking');
    expect(alert).toHaveTextContent(
      'The model cannot be deployed as requested',
    );
    expect(alert).toHaveTextContent(reason);
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith({
        pool: undefined,
        monthlyUsd: undefined,
        blocking: [reason],
      }),
    );
  });

  it('reads renamed fields from ui:options', async () => {
    const placement = jest.fn(async () => placementResponse());
    await renderField(
      { placement },
      {
        formData: {
          modelName: 'm',
          size: { billions: 70 },
          precision: 'fp8',
          minReplicas: 2,
          maxReplicas: 6,
          gpuTypes: 'NVIDIA-H100',
        },
        uiOptions: {
          fields: {
            name: 'modelName',
            parametersBillions: 'size.billions',
            replicasMin: 'minReplicas',
            replicasMax: 'maxReplicas',
          },
        },
      },
    );
    await waitFor(() =>
      expect(placement).toHaveBeenNthCalledWith(1, {
        name: 'm',
        parametersBillions: 70,
        precision: 'fp8',
        replicas: { min: 2, max: 6 },
        gpuTypes: ['NVIDIA-H100'],
      }),
    );
  });

  it('waits for the model size before asking', async () => {
    const placement = jest.fn(async () => placementResponse());
    const { onChange } = await renderField(
      { placement },
      { formData: { name: 'm', precision: 'bf16' } },
    );
    expect(
      screen.getByText(
        "Enter the model's parameter count and precision to see the GPU pools that fit.",
      ),
    ).toBeInTheDocument();
    expect(placement).not.toHaveBeenCalled();
    // An empty value, so the scaffolder runs the field's validation.
    expect(onChange).toHaveBeenCalledWith({});
  });

  it('asks again once the inputs stop changing', async () => {
    const placement = jest.fn(async () =>
      placementResponse({ recommended: null, options: [] }),
    );
    const { rerender } = await renderField(
      { placement },
      { uiOptions: { debounceMs: 100 } },
    );
    expect(
      await screen.findByText('No GPU pool fits this model.'),
    ).toBeInTheDocument();
    expect(placement).toHaveBeenCalledTimes(1);

    for (const replicasMax of [5, 6, 7]) {
      rerender({
        uiOptions: { debounceMs: 100 },
        formData: { ...form, replicasMax },
      });
    }
    await waitFor(() => expect(placement).toHaveBeenCalledTimes(2));
    expect(placement).toHaveBeenLastCalledWith(
      expect.objectContaining({ replicas: { min: 1, max: 7 } }),
    );
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(placement).toHaveBeenCalledTimes(2);
  });

  it('shows the backend message when the placement fails', async () => {
    const error = await responseError(
      400,
      'InputError',
      'replicas.min (5) must not exceed replicas.max (4)',
    );
    await renderField({
      placement: jest.fn(async () => {
        throw error;
      }),
    });
    const alert = await screen.findByTestId('gpu-pool-error');
    expect(alert).toHaveTextContent('Could not find GPU pools for the model');
    expect(alert).toHaveTextContent(
      'replicas.min (5) must not exceed replicas.max (4)',
    );
    expect(screen.queryByTestId('gpu-pool-option')).not.toBeInTheDocument();
  });

  it('shows progress while the first answer is on its way', async () => {
    await renderField({ placement: jest.fn(() => new Promise(() => {})) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('gpu-pool-picker')).queryByRole('radio'),
    ).not.toBeInTheDocument();
  });
});

describe('gpuPoolPickerValidation', () => {
  const validate = (value: GpuPoolPickerValue | undefined) => {
    const addError = jest.fn();
    gpuPoolPickerValidation(value as GpuPoolPickerValue, { addError } as any, {
      apiHolder: { get: () => undefined },
      formData: {},
      schema: {},
    });
    return addError.mock.calls.map(([message]) => message);
  };

  it('requires a picked pool', () => {
    expect(validate(undefined)).toEqual([NO_POOL_PICKED]);
    expect(validate({})).toEqual([NO_POOL_PICKED]);
    expect(NO_POOL_PICKED).toMatch(/^Pick a GPU pool/);
  });

  it('refuses the blocking reasons', () => {
    expect(
      validate({
        pool: 'gpupool:default/p',
        monthlyUsd: 10,
        blocking: ['over the team budget', 'no capacity left'],
      }),
    ).toEqual(['over the team budget', 'no capacity left']);
    expect(validate({ blocking: ['over the team budget'] })).toEqual([
      NO_POOL_PICKED,
      'over the team budget',
    ]);
  });

  it('accepts a picked pool without blocking reasons', () => {
    expect(
      validate({ pool: 'gpupool:default/p', monthlyUsd: 10, blocking: [] }),
    ).toEqual([]);
  });
});

describe('placementInputs', () => {
  it('takes the memory instead of the parameters, and defaults the replicas', () => {
    expect(
      placementInputs({ memoryMiB: '40960' }, {}, 'gpupool:default/p'),
    ).toEqual({
      ready: true,
      body: {
        name: 'new-model',
        memoryMiB: 40960,
        replicas: { min: 1, max: 1 },
        pool: 'gpupool:default/p',
      },
    });
    expect(
      placementInputs({
        parametersBillions: 8,
        precision: 'bf16',
        replicasMin: 3,
      }),
    ).toMatchObject({ body: { replicas: { min: 3, max: 3 } } });
    expect(placementInputs({ parametersBillions: 8 }).ready).toBe(false);
    expect(placementInputs(undefined).ready).toBe(false);
  });
});
