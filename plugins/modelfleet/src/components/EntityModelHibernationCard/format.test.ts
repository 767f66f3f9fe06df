import { hibernationReport } from '../../__testUtils__/hibernationFixtures';
import {
  autoscalerKeepAliveLine,
  decisionTitle,
  formatDuration,
  formatKeepAlive,
  formatWakeSeconds,
} from './format';

describe('hibernation formats', () => {
  it.each([
    [0, '0 s'],
    [0.4, '0 s'],
    [45, '45 s'],
    [59.6, '1 min'],
    [60, '1 min'],
    [480, '8 min'],
    [500, '8 min 20 s'],
    [3_600, '1 h'],
    [3_605, '1 h'],
    [5_400, '1 h 30 min'],
    [86_400 * 2 + 3_600 * 3 + 59, '2 d 3 h'],
  ])('writes %p seconds as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('writes wake seconds to a tenth, and a dash without any', () => {
    expect(formatWakeSeconds(38)).toBe('38 s');
    expect(formatWakeSeconds(89.65)).toBe('89.7 s');
    expect(formatWakeSeconds(1234)).toBe('1,234 s');
    expect(formatWakeSeconds(null)).toBe('—');
    expect(formatWakeSeconds(undefined)).toBe('—');
  });

  it('writes a keep-alive of null as staying warm', () => {
    expect(formatKeepAlive(null)).toBe('Stays warm');
    expect(formatKeepAlive(300)).toBe('5 min');
    expect(formatKeepAlive(0)).toBe('To zero at once');
  });

  it("names the autoscaler's keep-alive only when it differs from the learned one", () => {
    const report = hibernationReport();
    expect(autoscalerKeepAliveLine(report)).toBeUndefined();
    expect(
      autoscalerKeepAliveLine({
        ...report,
        keepAlive: { seconds: 480.4, reason: 'r' },
      }),
    ).toBeUndefined();
    expect(
      autoscalerKeepAliveLine({
        ...report,
        autoscaler: { ...report.autoscaler!, keepAliveSeconds: 300 },
      }),
    ).toBe('ScaledObject llama-chat: 5 min');
    expect(
      autoscalerKeepAliveLine({
        ...report,
        keepAlive: { seconds: null, reason: 'r' },
      }),
    ).toBe('ScaledObject llama-chat: 8 min');
    expect(
      autoscalerKeepAliveLine({ ...report, autoscaler: undefined }),
    ).toBeUndefined();
  });

  it('says what a decision does', () => {
    const at = '2026-11-03T10:15:00Z';
    expect(decisionTitle({ action: 'none', reason: 'r', at })).toBe(
      'No change',
    );
    expect(decisionTitle({ action: 'hibernate', reason: 'r', at })).toBe(
      'Take to zero',
    );
    expect(
      decisionTitle({ action: 'wake', replicas: 1, reason: 'r', at }),
    ).toBe('Wake to 1 replica');
    expect(
      decisionTitle({ action: 'wake', replicas: 2, reason: 'r', at }),
    ).toBe('Wake to 2 replicas');
    expect(
      decisionTitle({ action: 'setKeepAlive', seconds: 600, reason: 'r', at }),
    ).toBe('Set the keep-alive to 10 min');
  });
});
