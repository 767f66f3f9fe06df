import { mockCredentials } from '@backstage/backend-test-utils';
import { reportsFixture } from './__testUtils__/reportsFixture';

const reports = async (spec: Record<string, unknown> = {}) =>
  reportsFixture(spec).reports;

const credentials = mockCredentials.user();
const allow = async () => undefined;

describe('ArbitrageReports', () => {
  it("prices a model on every pool it may run on, and names the move that clears its team's policy", async () => {
    const r = await (
      await reports()
    ).report('default', 'sdxl', credentials, allow);
    expect(r).toMatchObject({
      entityRef: 'model:default/sdxl',
      mode: 'recommend',
      minSavingsPercent: 20,
      replicas: 2,
      gpusPerReplica: 1,
      currentMonthlyUsd: 2 * 0.805 * 730,
    });
    // Cheapest first; the big node's share is its price over its 4 GPUs.
    expect(r.options.map(o => [o.title, o.current])).toEqual([
      ['l4-spot (c1)', false],
      ['l4-ondemand (c1)', true],
      ['l4-big (c1)', false],
    ]);
    const spot = r.options[0];
    expect(spot.monthlyUsd).toBeCloseTo(2 * 0.32 * 730, 6);
    expect(spot.preemptionsPerMonth).toBeCloseTo(6, 9);
    expect(spot.riskSource).toBe(
      'no history of its own yet: the prior of a test',
    );
    expect(spot.move!.usd).toBeGreaterThan(0);
    expect(r.options[2].monthlyUsd).toBeCloseTo((2 * 4.6 * 730) / 4, 6);
    // The T4 has too little memory for 18 GiB.
    expect(r.excluded).toEqual([
      expect.objectContaining({ title: 't4 (c1)', code: 'gpu-memory' }),
    ]);
    expect(r.opportunity).toMatchObject({ to: spot.pool });
    expect(r.opportunity!.savingPercent).toBeGreaterThan(55);
    expect(r.reason).toMatch(
      /^to l4-spot \(c1\) \(aws us-east-1, spot\): \$708 a month less \(60.2 %\)/,
    );
  });

  it('keeps a model that forbids spot off spot, and says why no move clears the policy', async () => {
    const r = await (
      await reports({ policy: { spot: 'forbid' } })
    ).report('default', 'sdxl', credentials, allow);
    expect(r.options.map(o => o.title)).toEqual([
      'l4-ondemand (c1)',
      'l4-big (c1)',
    ]);
    expect(r.opportunity).toBeUndefined();
    expect(r.reason).toMatch(
      /^no move clears the policy: the closest, l4-big \(c1\), saves -?[\d.]+ % over 168 h after the move's cost, under 20 %$/,
    );
  });

  it('says what it cannot price, and asks the caller may see the costs first', async () => {
    const denied = (await reports()).report(
      'default',
      'sdxl',
      credentials,
      async () => {
        throw new Error('not allowed');
      },
    );
    await expect(denied).rejects.toThrow('not allowed');
    await expect(
      (await reports()).report('default', 'nope', credentials, allow),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
