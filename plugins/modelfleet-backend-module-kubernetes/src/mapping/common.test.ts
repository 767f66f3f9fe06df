import {
  containerGpuUnits,
  isGpuResource,
  mostCommon,
  parseCount,
  podGpuUnits,
} from './common';

describe('parseCount', () => {
  it.each([
    ['8', 8],
    [' 4 ', 4],
    [2, 2],
    ['0', 0],
    ['-1', 0],
    ['', 0],
    [undefined, 0],
    ['lots', 0],
  ])('reads %p as %p', (value, expected) => {
    expect(parseCount(value as string | undefined)).toBe(expected);
  });
});

describe('isGpuResource', () => {
  it('knows whole GPUs and MIG slices, and nothing else', () => {
    expect(isGpuResource('nvidia.com/gpu')).toBe(true);
    expect(isGpuResource('nvidia.com/mig-3g.40gb')).toBe(true);
    expect(isGpuResource('nvidia.com/gpu.shared')).toBe(false);
    expect(isGpuResource('cpu')).toBe(false);
  });
});

describe('containerGpuUnits', () => {
  it('takes the request, or the limit where there is no request', () => {
    expect(containerGpuUnits({ limits: { 'nvidia.com/gpu': '2' } })).toBe(2);
    expect(
      containerGpuUnits({
        requests: { 'nvidia.com/gpu': '1' },
        limits: { 'nvidia.com/gpu': '1', cpu: '4' },
      }),
    ).toBe(1);
    expect(
      containerGpuUnits({
        limits: { 'nvidia.com/mig-1g.10gb': '2', 'nvidia.com/gpu': '1' },
      }),
    ).toBe(3);
    expect(containerGpuUnits({ requests: { cpu: '2' } })).toBe(0);
    expect(containerGpuUnits(undefined)).toBe(0);
  });
});

describe('podGpuUnits', () => {
  const gpus = (n: number, restartPolicy?: string) => ({
    resources: { limits: { 'nvidia.com/gpu': String(n) } },
    ...(restartPolicy ? { restartPolicy } : {}),
  });

  it('adds up containers and sidecars', () => {
    expect(
      podGpuUnits({
        containers: [gpus(2), gpus(1)],
        initContainers: [gpus(1, 'Always')],
      }),
    ).toBe(4);
  });

  it('counts an init container when it asks for more than the containers', () => {
    expect(
      podGpuUnits({ containers: [gpus(1)], initContainers: [gpus(4)] }),
    ).toBe(4);
    expect(
      podGpuUnits({ containers: [gpus(2)], initContainers: [gpus(1)] }),
    ).toBe(2);
  });

  it('is 0 without a spec', () => {
    expect(podGpuUnits(undefined)).toBe(0);
  });
});

describe('mostCommon', () => {
  it('picks the most common value, ties going to the first in sort order', () => {
    expect(mostCommon(['b', 'a', 'b', undefined])).toBe('b');
    expect(mostCommon(['spot', 'on-demand'])).toBe('on-demand');
    expect(mostCommon([undefined, ''])).toBeUndefined();
  });
});
