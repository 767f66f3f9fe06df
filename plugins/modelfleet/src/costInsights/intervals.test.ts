import { daysOf, parseRepeatingIntervals, shiftDay } from './intervals';

describe('parseRepeatingIntervals', () => {
  it('reads R2/P30D/<end> as two 30-day intervals that end before the day', () => {
    expect(parseRepeatingIntervals('R2/P30D/2020-09-01')).toEqual({
      duration: { years: 0, months: 0, weeks: 0, days: 30 },
      intervals: [
        { from: '2020-07-03', to: '2020-08-02' },
        { from: '2020-08-02', to: '2020-09-01' },
      ],
    });
  });

  it('reads quarters on the calendar', () => {
    expect(parseRepeatingIntervals('R2/P3M/2020-10-01').intervals).toEqual([
      { from: '2020-04-01', to: '2020-07-01' },
      { from: '2020-07-01', to: '2020-10-01' },
    ]);
  });

  it('keeps the day of the month where it exists and does not drift', () => {
    expect(parseRepeatingIntervals('R3/P1M/2021-03-31').intervals).toEqual([
      { from: '2020-12-31', to: '2021-01-31' },
      { from: '2021-01-31', to: '2021-02-28' },
      { from: '2021-02-28', to: '2021-03-31' },
    ]);
  });

  it('reads weeks, combined durations, one interval and the start form', () => {
    expect(parseRepeatingIntervals('R1/P1W/2026-11-08').intervals).toEqual([
      { from: '2026-11-01', to: '2026-11-08' },
    ]);
    expect(parseRepeatingIntervals('R1/P1Y1M1D/2026-03-02').intervals).toEqual([
      { from: '2025-02-01', to: '2026-03-02' },
    ]);
    expect(parseRepeatingIntervals('R2/2026-10-01/P7D').intervals).toEqual([
      { from: '2026-10-01', to: '2026-10-08' },
      { from: '2026-10-08', to: '2026-10-15' },
    ]);
  });

  it.each([
    ['P30D/2020-09-01', /expected three parts/],
    ['R/P30D/2020-09-01', /R must be R followed by the number/],
    ['R0/P30D/2020-09-01', /number of intervals must be 1 to 366/],
    ['R2/PT12H/2020-09-01', /PT12H has a time part/],
    ['R2/P30X/2020-09-01', /P30X is not a duration/],
    ['R2/P/2020-09-01', /P is not a duration/],
    ['R2/P0D/2020-09-01', /P0D is empty/],
    ['R2/P30D/2020-02-30', /2020-02-30 is not a calendar day/],
    ['R2/P30D/yesterday', /yesterday must be a day as YYYY-MM-DD/],
    ['R2/2020-09-01/2020-10-01', /expected R<n>\/<duration>\/<end day>/],
  ])('rejects %s naming the problem', (text, why) => {
    expect(() => parseRepeatingIntervals(text)).toThrow(
      /^intervals must be an ISO 8601 repeating interval/,
    );
    expect(() => parseRepeatingIntervals(text)).toThrow(why);
  });
});

describe('shiftDay and daysOf', () => {
  it('moves across a leap day and lists the days of an interval', () => {
    const day = new Date('2024-03-01T00:00:00Z');
    const oneDay = { years: 0, months: 0, weeks: 0, days: 1 };
    expect(shiftDay(day, oneDay, -1).toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    expect(daysOf({ from: '2024-02-27', to: '2024-03-02' })).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(daysOf({ from: '2024-02-27', to: '2024-02-27' })).toEqual([]);
  });
});
