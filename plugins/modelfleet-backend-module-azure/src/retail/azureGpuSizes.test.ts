import fs from 'node:fs';
import path from 'node:path';
import { azureGpuSize, azureGpuSizeNames } from './azureGpuSizes';

describe('azureGpuSize', () => {
  it('knows the GPUs of a size, without regard to case or a _Promo suffix', () => {
    expect(azureGpuSize('Standard_NC24ads_A100_v4')).toEqual({
      product: 'A100-80GB',
      count: 1,
      memoryGiB: 80,
    });
    expect(azureGpuSize('standard_nc6_promo')).toEqual({
      product: 'K80',
      count: 1,
      memoryGiB: 12,
    });
    expect(azureGpuSize('Standard_NV12ads_A10_v5')!.count).toBeCloseTo(
      1 / 3,
      9,
    );
    expect(azureGpuSize('Standard_D4s_v5')).toBeUndefined();
  });

  it('has each size once', () => {
    const names = azureGpuSizeNames().map(n => n.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  // The bundled catalog of the backend is the other source of Azure GPU
  // facts; both must name the same GPUs, or the price book would hold two
  // different machines under one name.
  it('agrees with the Azure rows of the bundled price catalog', () => {
    const csv = fs.readFileSync(
      path.resolve(
        __dirname,
        '../../../modelfleet-backend/data/prices/gpu_prices.csv',
      ),
      'utf8',
    );
    const [header, ...rows] = csv.trim().split('\n');
    const col = Object.fromEntries(header.split(',').map((h, i) => [h, i]));
    const azure = new Map<string, { product: string; count: number }>();
    for (const row of rows) {
      const f = row.split(',');
      if (f[col.provider] !== 'azure') continue;
      azure.set(f[col.instance_type], {
        product: f[col.gpu],
        count: Number(f[col.gpu_count]),
      });
    }
    expect(azure.size).toBeGreaterThan(30);
    // The one known error of the catalog (see its README).
    expect(azure.get('Standard_ND96isr_H100_v5')).toEqual({
      product: 'H100',
      count: 12,
    });
    azure.set('Standard_ND96isr_H100_v5', { product: 'H100', count: 8 });

    const mismatches = [...azure].flatMap(([size, gpu]) => {
      const ours = azureGpuSize(size);
      return ours?.product === gpu.product && ours.count === gpu.count
        ? []
        : [
            `${size}: catalog ${gpu.count} x ${gpu.product}, table ${
              ours ? `${ours.count} x ${ours.product}` : 'none'
            }`,
          ];
    });
    expect(mismatches).toEqual([]);
  });
});
