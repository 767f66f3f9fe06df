import { ConfigReader } from '@backstage/config';
import { readModelFleetBackendConfig } from './config';

describe('readModelFleetBackendConfig', () => {
  it('applies defaults when modelfleet is absent', () => {
    const c = readModelFleetBackendConfig(new ConfigReader({}));
    expect(c.housekeeping.schedule.frequency).toEqual({ minutes: 10 });
    expect(c.housekeeping.retention).toEqual({ days: 30 });
  });

  it('reads a schedule and an ISO retention', () => {
    const c = readModelFleetBackendConfig(
      new ConfigReader({
        modelfleet: {
          housekeeping: {
            schedule: { frequency: { cron: '0 3 * * *' }, timeout: 'PT10M' },
            retention: 'P7D',
          },
        },
      }),
    );
    expect(c.housekeeping.schedule.frequency).toEqual({ cron: '0 3 * * *' });
    expect(c.housekeeping.retention).toEqual({ days: 7 });
  });

  it('names the key path of a bad retention', () => {
    expect(() =>
      readModelFleetBackendConfig(
        new ConfigReader({
          modelfleet: { housekeeping: { retention: 'soon' } },
        }),
      ),
    ).toThrow(/modelfleet\.housekeeping\.retention/);
  });

  it('names the key path of a bad schedule', () => {
    expect(() =>
      readModelFleetBackendConfig(
        new ConfigReader({
          modelfleet: { housekeeping: { schedule: { frequency: 'often' } } },
        }),
      ),
    ).toThrow(/modelfleet\.housekeeping\.schedule/);
  });
});
