import { wholeUtcDays } from './billWindow';

const at = (iso: string) => new Date(iso);

describe('wholeUtcDays', () => {
  it('leaves out a partial day at either end', () => {
    const days = wholeUtcDays({
      start: at('2026-03-01T06:00:00Z'),
      end: at('2026-03-04T18:00:00Z'),
    });
    expect(new Date(days.start).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(new Date(days.end).toISOString()).toBe('2026-03-04T00:00:00.000Z');
  });

  it('keeps bounds at midnight', () => {
    const start = at('2026-03-01T00:00:00Z');
    const end = at('2026-03-03T00:00:00Z');
    expect(wholeUtcDays({ start, end })).toEqual({
      start: start.getTime(),
      end: end.getTime(),
    });
  });

  it('has no whole day inside one day', () => {
    const days = wholeUtcDays({
      start: at('2026-03-01T01:00:00Z'),
      end: at('2026-03-01T23:00:00Z'),
    });
    expect(days.start).toBeGreaterThanOrEqual(days.end);
  });
});
