import path from 'node:path';
import { argValue, positiveArg, traceArgs } from './args';

describe('benchmark options', () => {
  it('reads --name value and --name=value', () => {
    expect(argValue('seed', ['--seed', '4'])).toBe('4');
    expect(argValue('seed', ['--seed=5'])).toBe('5');
    expect(argValue('seed', ['--teams', '3'])).toBeUndefined();
  });

  it('takes a positive number or names the option it rejects', () => {
    expect(positiveArg('seed', 1, true, [])).toBe(1);
    expect(positiveArg('seed', 1, true, ['--seed', '7'])).toBe(7);
    expect(positiveArg('headroom', 1.5, false, ['--headroom=2.25'])).toBe(2.25);
    expect(() => positiveArg('seed', 1, true, ['--seed', '2.5'])).toThrow(
      '--seed must be a whole number > 0, got 2.5',
    );
    expect(() =>
      positiveArg('headroom', 1, false, ['--headroom', '0']),
    ).toThrow('--headroom must be a number > 0, got 0');
    expect(() => positiveArg('seed', 1, true, ['--seed', 'x'])).toThrow(
      '--seed',
    );
  });

  it('reads the trace and price paths, by default the bundled ones', () => {
    expect(traceArgs('d', [])).toEqual({
      prices: path.join('d', 'prices'),
      workload: path.join('d', 'workloads', 'openb_pod_list_gpuspec33.csv'),
      nodes: path.join('d', 'workloads', 'openb_node_list_gpu_node.csv'),
    });
    expect(
      traceArgs('d', ['--workload', 'w.csv', '--nodes=n.csv', '--prices', 'p'])
        .workload,
    ).toBe('w.csv');
  });
});
