import { savingsLine } from '../../__testUtils__/savingsFixtures';
import {
  byLargestSaving,
  daysInclusive,
  formatDays,
  kindLabel,
} from './format';

describe('savings format', () => {
  it('counts the days of a line, both ends included', () => {
    expect(daysInclusive('2026-12-05', '2026-12-05')).toBe(1);
    expect(daysInclusive('2026-11-03', '2026-12-05')).toBe(33);
    expect(daysInclusive('2026-02-27', '2026-03-01')).toBe(3);
    expect(daysInclusive('nonsense', '2026-03-01')).toBe(0);
  });

  it('writes a period of days as the portal does', () => {
    expect(formatDays('2026-12-05', '2026-12-05')).toBe('5 Dec 2026');
    expect(formatDays('2026-10-01', '2026-12-05')).toBe(
      '1 Oct 2026 – 5 Dec 2026',
    );
  });

  it('names the kinds in words', () => {
    expect(kindLabel('migrate')).toBe('Move');
    expect(kindLabel('scale')).toBe('Scale');
    expect(kindLabel('consolidate')).toBe('Consolidation');
    expect(kindLabel('hibernation')).toBe('Hibernation');
    expect(kindLabel('spot-fallback')).toBe('Spot fallback');
  });

  it('sorts by saving, largest first, a cost last, without changing the input', () => {
    const lines = [
      savingsLine({ actionId: 'a', savedUsd: 10 }),
      savingsLine({ actionId: 'b', savedUsd: -5 }),
      savingsLine({ actionId: 'c', savedUsd: 250 }),
    ];
    expect(byLargestSaving(lines).map(l => l.actionId)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(lines.map(l => l.actionId)).toEqual(['a', 'b', 'c']);
  });
});
