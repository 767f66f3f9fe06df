import { dayChunks, parseUsageDate } from './days';

const d = (s: string) => new Date(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe('dayChunks', () => {
  it('keeps whole UTC days only, in runs of at most maxDays', () => {
    const chunks = dayChunks(
      { start: d('2026-11-28T06:00:00Z'), end: d('2026-12-03T00:00:00Z') },
      2,
    );
    expect(chunks.map(c => [iso(c.start), iso(c.end)])).toEqual([
      ['2026-11-29T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
      ['2026-12-01T00:00:00.000Z', '2026-12-03T00:00:00.000Z'],
    ]);
    expect(
      dayChunks(
        { start: d('2026-11-28T06:00:00Z'), end: d('2026-11-29T05:00:00Z') },
        31,
      ),
    ).toEqual([]);
  });

  it('names the field of a bad window', () => {
    expect(() =>
      dayChunks({ start: d('nope'), end: d('2026-11-29T00:00:00Z') }, 31),
    ).toThrow('window.start is not a valid date');
    expect(() =>
      dayChunks({ start: d('2026-11-29T00:00:00Z'), end: d('nope') }, 31),
    ).toThrow('window.end is not a valid date');
  });
});

describe('parseUsageDate', () => {
  it('reads the number, string and ISO forms of a day', () => {
    const day = Date.UTC(2026, 10, 30);
    expect(parseUsageDate(20261130)).toBe(day);
    expect(parseUsageDate('20261130')).toBe(day);
    expect(parseUsageDate('2026-11-30T00:00:00')).toBe(day);
    expect(parseUsageDate('2026-11-30')).toBe(day);
  });

  it.each([20261131, 2026113, 20261130.5, '2026-11-30T12:00:00', null, {}])(
    'refuses %j',
    value => {
      expect(parseUsageDate(value)).toBeUndefined();
    },
  );
});
