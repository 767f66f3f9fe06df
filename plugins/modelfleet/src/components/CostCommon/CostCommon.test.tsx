import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { costReport, utilizationReport } from '../../__testUtils__/fixtures';
import { costChartData, utilizationChartData } from './chartData';
import { CostOverTimeChart } from './charts';
import {
  changeOf,
  formatDate,
  formatDateTime,
  formatGpuHours,
  formatMonth,
  formatPeriod,
  formatShortDate,
  formatUnitUsd,
  formatUsd,
} from './format';
import { ChangeAgainstPrevious, ChangeLabel } from './Figures';
import { periodQuery } from './period';
import { provenanceText } from './Provenance';

describe('formatting', () => {
  it('formats dollars with cents and unit prices with up to 4 decimals', () => {
    expect(formatUsd(1234.564)).toBe('$1,234.56');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(-0.001)).toBe('$0.00');
    expect(formatUsd(-12.5)).toBe('-$12.50');
    expect(formatUnitUsd(0.30864)).toBe('$0.3086');
    expect(formatUnitUsd(2)).toBe('$2.00');
  });

  it('writes GPU-hours so that the number and its unit never break apart', () => {
    expect(formatGpuHours(2592)).toBe('2,592\u00a0GPU\u2011h');
    expect(formatGpuHours(1234.56)).toBe('1,234.6\u00a0GPU\u2011h');
    // No break opportunity anywhere in it: no space, no breaking hyphen.
    expect(formatGpuHours(45.06)).not.toMatch(/[ \-]/);
  });

  it('labels the change against the previous period', () => {
    expect(changeOf(360.5, 270)).toEqual({
      ratio: (360.5 - 270) / 270,
      label: '+33.5%',
    });
    expect(changeOf(50, 100).label).toBe('-50.0%');
    expect(changeOf(10, 0)).toEqual({ ratio: null, label: 'new' });
    expect(changeOf(0, 0)).toEqual({ ratio: null, label: '±0%' });
  });

  it('shows a period by its inclusive days and times in UTC', () => {
    expect(formatPeriod('2026-11-01', '2026-12-01')).toBe(
      '1 Nov 2026 – 30 Nov 2026',
    );
    expect(formatPeriod('2026-11-01', '2026-11-02')).toBe('1 Nov 2026');
    expect(formatDateTime('2026-11-03T12:00:00+02:00')).toBe(
      '3 Nov 2026, 10:00 UTC',
    );
  });

  it('writes every date one way: day, English month, year, in UTC', () => {
    expect(formatDate('2026-12-03')).toBe('3 Dec 2026');
    expect(formatDate('2026-09-30T23:30:00-02:00')).toBe('1 Oct 2026');
    expect(formatDate(new Date(Date.UTC(2027, 0, 15)))).toBe('15 Jan 2027');
    expect(formatShortDate('2026-09-07')).toBe('7 Sep');
    expect(formatDateTime('2026-12-03T14:05:59Z')).toBe(
      '3 Dec 2026, 14:05 UTC',
    );
    expect(formatDateTime('2026-12-03T00:00:00Z')).toBe(
      '3 Dec 2026, 00:00 UTC',
    );
    expect(formatMonth('2026-12')).toBe('Dec 2026');
    expect(formatMonth('2026-01')).toBe('Jan 2026');
    // What is not a date is shown as it came.
    expect(formatDate('soon')).toBe('soon');
    expect(formatDateTime('')).toBe('');
    expect(formatMonth('2026-13')).toBe('2026-13');
  });
});

describe('provenanceText', () => {
  it('names each source once with its newest observation and notes', () => {
    expect(
      provenanceText(
        [
          {
            kind: 'price',
            source: 'aws-pricing-api',
            observedAt: '2026-11-01T00:00:00Z',
            subject: 'a',
          },
          {
            kind: 'price',
            source: 'bundled-catalog',
            observedAt: '2026-11-02T00:00:00Z',
            subject: 'b',
            note: 'aws-pricing-api: timed out',
          },
          {
            kind: 'price',
            source: 'aws-pricing-api',
            observedAt: '2026-11-03T00:00:00Z',
            subject: 'c',
          },
          {
            kind: 'bill',
            source: 'aws-cost-explorer',
            observedAt: '2026-10-01T00:00:00Z',
            subject: 'd',
          },
        ],
        'not-shared',
      ),
    ).toBe(
      'Figures from bills from aws-cost-explorer, period from 1 Oct 2026, 00:00 UTC; ' +
        'prices from aws-pricing-api, observed 3 Nov 2026, 00:00 UTC; ' +
        'prices from bundled-catalog, observed 2 Nov 2026, 00:00 UTC (aws-pricing-api: timed out). ' +
        'Idle cost policy: unallocated capacity stays on the pools, charged to no team.',
    );
    expect(provenanceText([])).toBe(
      'No price or bill source recorded for these figures.',
    );
  });
});

describe('periodQuery', () => {
  const now = new Date('2026-11-05T23:30:00Z');

  it('sends nothing for the default 30 days, so the backend default applies', () => {
    expect(periodQuery(30, now)).toBeUndefined();
  });

  it('covers the last complete days, up to yesterday (UTC)', () => {
    expect(periodQuery(7, now)).toEqual({
      from: '2026-10-29',
      to: '2026-11-05',
      granularity: 'day',
    });
    expect(periodQuery(90, now)).toEqual({
      from: '2026-08-07',
      to: '2026-11-05',
      granularity: 'day',
    });
  });
});

describe('chart data', () => {
  it('puts the previous period beside this one by index', () => {
    const report = costReport();
    report.previous.series = report.previous.series.slice(0, 2);
    expect(costChartData(report)).toEqual([
      {
        date: '2026-11-01',
        cost: 100,
        idle: 25,
        previous: 80,
        previousDate: '2026-10-29',
      },
      {
        date: '2026-11-02',
        cost: 120.5,
        idle: 30.13,
        previous: 90,
        previousDate: '2026-10-30',
      },
      {
        date: '2026-11-03',
        cost: 140,
        idle: 35,
        previous: null,
        previousDate: null,
      },
    ]);
  });

  it('turns utilization into percent and GiB, keeping gaps', () => {
    const report = utilizationReport();
    report.series[1] = { ...report.series[1], gpuUtilization: null };
    expect(utilizationChartData(report)).toEqual([
      { date: '2026-11-01', utilization: 50, memoryGiB: 16, idle: 40 },
      { date: '2026-11-02', utilization: null, memoryGiB: 18, idle: 30 },
      { date: '2026-11-03', utilization: 70, memoryGiB: 20, idle: 20 },
    ]);
  });
});

describe('CostOverTimeChart', () => {
  let rect: jest.SpyInstance;
  beforeEach(() => {
    // jsdom has no layout: give the chart's container a size to draw in, and
    // the resize observer recharts reads that size through.
    (globalThis as any).ResizeObserver = class {
      observe() {}
      disconnect() {}
    };
    rect = jest
      .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
      .mockImplementation(function size(this: HTMLElement) {
        // Only the chart itself has a size: a legend as tall as the chart
        // would leave no room to plot.
        const chart = this.classList.contains('recharts-wrapper');
        const width = chart ? 600 : 0;
        const height = chart ? 220 : 0;
        return {
          width,
          height,
          top: 0,
          left: 0,
          bottom: height,
          right: width,
          x: 0,
          y: 0,
          toJSON: () => ({}),
        };
      });
  });
  afterEach(() => {
    rect.mockRestore();
    delete (globalThis as any).ResizeObserver;
  });

  it('draws the cost and the previous period as lines and idle as an area', async () => {
    const { container } = await renderInTestApp(
      <CostOverTimeChart report={costReport()} />,
    );
    expect(
      await screen.findByRole('figure', {
        name: 'Cost per day, 1 Nov 2026 – 3 Nov 2026, against the previous period',
      }),
    ).toBeInTheDocument();
    // recharts draws the series after it has measured the axes.
    await waitFor(() =>
      expect(container.querySelectorAll('.recharts-line')).toHaveLength(2),
    );
    expect(container.querySelectorAll('.recharts-area')).toHaveLength(1);
    expect(screen.getByText('Previous period')).toBeInTheDocument();
  });

  it('leaves out the previous period when asked', async () => {
    const { container } = await renderInTestApp(
      <CostOverTimeChart report={costReport()} showPrevious={false} />,
    );
    await screen.findByRole('figure');
    await waitFor(() =>
      expect(container.querySelectorAll('.recharts-line')).toHaveLength(1),
    );
    expect(screen.queryByText('Previous period')).not.toBeInTheDocument();
  });
});

describe('ChangeLabel', () => {
  it('says the comparison is not available yet when the previous period has cost data for only some of its days', async () => {
    await renderInTestApp(
      <ChangeLabel
        current={300}
        previous={100}
        previousDays={{ withData: 5, of: 30 }}
      />,
    );
    const change = screen.getByTestId('modelfleet-cost-change');
    expect(change).toHaveTextContent(
      'Comparison with the previous period not available yet: it has cost data for 5 of its 30 days',
    );
    expect(change).not.toHaveTextContent('%');
  });

  it('shows no previous total against a partly covered previous period', async () => {
    const report = costReport();
    await renderInTestApp(
      <ChangeAgainstPrevious
        report={{
          ...report,
          previous: {
            ...report.previous,
            total: { ...report.previous.total, daysWithData: 2 },
          },
        }}
      />,
    );
    expect(screen.getByTestId('modelfleet-cost-change')).toHaveTextContent(
      'not available yet: it has cost data for 2 of its 3 days',
    );
    expect(screen.queryByText(/against/)).not.toBeInTheDocument();
  });

  it('adds nothing when the previous period is complete', async () => {
    await renderInTestApp(
      <ChangeLabel
        current={300}
        previous={100}
        previousDays={{ withData: 30, of: 30 }}
      />,
    );
    expect(screen.getByTestId('modelfleet-cost-change')).toHaveTextContent(
      /^\+200\.0%$/,
    );
  });
});
