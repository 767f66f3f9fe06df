import { CostAnomaly } from '@modelfleet/plugin-modelfleet-common';
import { anomalyText } from './RecentAnomalies';

const anomaly = (costUsd: number, baselineUsd: number): CostAnomaly => ({
  day: '2026-11-02',
  scope: 'model',
  entityRef: 'model:default/x',
  costUsd,
  baselineUsd,
  score: costUsd > baselineUsd ? 8 : -8,
  direction: costUsd > baselineUsd ? 'spike' : 'drop',
});

describe('anomalyText', () => {
  it('says how many times its usual cost a spike is', () => {
    expect(anomalyText(anomaly(54.63, 13.66))).toBe(
      '4.0 × its usual $13.66 a day',
    );
  });

  it('says what share of its usual cost a drop is, or that it fell to about nothing', () => {
    expect(anomalyText(anomaly(10.83, 17.97))).toBe(
      'Down to 60 % of its usual $17.97 a day',
    );
    expect(anomalyText(anomaly(0, 1.53))).toBe(
      'Down from its usual $1.53 a day',
    );
  });

  it('reads a spike from nothing', () => {
    expect(anomalyText(anomaly(5, 0))).toBe('Up from its usual $0.00 a day');
  });
});
