import { formatDate, formatUsd } from './format';

describe('formatDate', () => {
  it('writes a day as the portal does, in UTC', () => {
    expect(formatDate('2026-12-03T23:30:00Z')).toBe('3 Dec 2026');
    expect(formatDate('2026-01-31T00:00:00-05:00')).toBe('31 Jan 2026');
    expect(formatDate(new Date(Date.UTC(2027, 4, 1)))).toBe('1 May 2027');
  });

  it('keeps what is not a date', () => {
    expect(formatDate('not a date')).toBe('not a date');
  });
});

describe('formatUsd', () => {
  it('writes cents and no negative zero', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(-0.001)).toBe('$0.00');
  });
});
