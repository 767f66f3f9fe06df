import { CostReportService } from './CostReportService';

describe('CostReportService.defaultQuery', () => {
  it('is the last 30 complete days, up to yesterday', () => {
    const costs = new CostReportService({
      store: {} as any,
      bills: {} as any,
      policies: {} as any,
      idleCostPolicy: 'not-shared',
      clock: () => new Date('2026-12-01T15:00:00Z'),
    });
    expect(costs.defaultQuery()).toEqual({
      from: '2026-11-01',
      to: '2026-12-01',
      granularity: 'day',
    });
  });
});
