import { rfc3339, splitIntoDaySpans } from './days';

const spans = (start: string, end: string, max: number) =>
  splitIntoDaySpans({ start: new Date(start), end: new Date(end) }, max).map(
    s => `${rfc3339(s.start)} ${rfc3339(s.end)}`,
  );

describe('splitIntoDaySpans', () => {
  it('splits into spans of at most maxDays whole UTC days', () => {
    expect(spans('2024-02-27T00:00:00Z', '2024-03-03T00:00:00Z', 2)).toEqual([
      '2024-02-27T00:00:00Z 2024-02-29T00:00:00Z',
      '2024-02-29T00:00:00Z 2024-03-02T00:00:00Z',
      '2024-03-02T00:00:00Z 2024-03-03T00:00:00Z',
    ]);
  });

  it('widens bounds to UTC midnights, whatever the offset', () => {
    expect(
      spans('2024-03-01T23:30:00-02:00', '2024-03-03T00:00:01+00:00', 7),
    ).toEqual(['2024-03-02T00:00:00Z 2024-03-04T00:00:00Z']);
  });

  it('gives nothing for an empty or inverted window', () => {
    expect(spans('2024-03-02T00:00:00Z', '2024-03-02T00:00:00Z', 7)).toEqual(
      [],
    );
    expect(spans('2024-03-03T00:00:00Z', '2024-03-02T00:00:00Z', 7)).toEqual(
      [],
    );
  });

  it('names a bound that is not a date', () => {
    expect(() =>
      splitIntoDaySpans(
        { start: new Date('nope'), end: new Date('2024-03-02T00:00:00Z') },
        7,
      ),
    ).toThrow('window.start is not a valid date');
    expect(() =>
      splitIntoDaySpans(
        { start: new Date('2024-03-02T00:00:00Z'), end: new Date(NaN) },
        7,
      ),
    ).toThrow('window.end is not a valid date');
  });
});
