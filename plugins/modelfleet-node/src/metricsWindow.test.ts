import { checkMetricsWindow } from './metricsWindow';

describe('checkMetricsWindow', () => {
  const start = new Date('2026-11-24T00:00:00Z');
  const end = new Date('2026-11-24T01:00:00Z');

  it('returns the window in unix seconds', () => {
    expect(checkMetricsWindow({ start, end, stepSeconds: 60 })).toEqual({
      start: start.getTime() / 1000,
      end: end.getTime() / 1000,
      step: 60,
    });
  });

  it.each([
    [{ start: end, end: start, stepSeconds: 60 }, /^window.end must be after/],
    [{ start, end: new Date(NaN), stepSeconds: 60 }, /^window.end/],
    [{ start, end, stepSeconds: 0 }, /^window.stepSeconds must be > 0/],
    [{ start, end, stepSeconds: 0.1 }, /more than 11000 points/],
  ])('rejects %j naming the field', (window, message) => {
    expect(() => checkMetricsWindow(window)).toThrow(message);
  });
});
