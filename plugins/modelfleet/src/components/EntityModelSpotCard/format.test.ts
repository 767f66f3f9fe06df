import { serving } from '../../__testUtils__/spotFixtures';
import { servingStatus, underWay } from './format';

const now = Date.parse('2026-12-03T12:00:00Z');
const minutesBefore = (m: number) => new Date(now - m * 60_000).toISOString();

describe('spot serving status', () => {
  const status = (...args: Parameters<typeof servingStatus>) =>
    servingStatus(args[0], { now, ...args[1] });

  it('says when the model is served on spot', () => {
    expect(status(serving())).toEqual({
      text: 'Served on spot: 2 of 2 replicas Ready on g6-l4-spot (prod-use1).',
      tone: 'success',
    });
    expect(status(serving({ desired: 0, ready: 0 })).text).toBe(
      'At 0 replicas on spot, g6-l4-spot (prod-use1): nothing to fall back for.',
    );
    expect(status(serving({ title: undefined, ready: 1 })).text).toBe(
      'Served on spot: 1 of 2 replicas Ready on prod-use1.g6-l4-spot.',
    );
  });

  it('names the spot companions on other spot pools', () => {
    expect(
      status({
        ...serving(),
        spread: [
          {
            name: 'llama-3-1-8b-chat-on-g6e-l40s-spot',
            pool: 'gpupool:default/prod-use1.g6e-l40s-spot',
            title: 'g6e-l40s-spot (prod-use1)',
            capacityType: 'spot',
            desired: 1,
            ready: 1,
          },
        ],
      }).text,
    ).toBe(
      'Served on spot: 2 of 2 replicas Ready on g6-l4-spot (prod-use1), 1 of 1 on g6e-l40s-spot (prod-use1).',
    );
  });

  it('says what the stand-in does under a reclaim notice', () => {
    const notice = { ready: 2, underNotice: 2, noticedAt: minutesBefore(2) };
    expect(status(serving(notice, {}))).toEqual({
      text: 'Spot reclaim notice 2 min ago on 2 replicas: the on-demand stand-in serves 2 of 2 replicas.',
      tone: 'warning',
    });
    expect(status(serving(notice, { ready: 1 })).text).toBe(
      'Spot reclaim notice 2 min ago on 2 replicas: the on-demand stand-in on l4-ondemand (prod-use1) is starting (1 of 2 Ready).',
    );
    expect(status(serving({ ...notice, underNotice: 1 })).text).toBe(
      'Spot reclaim notice 2 min ago on 1 replica: no on-demand stand-in serves yet.',
    );
    expect(
      status(serving({ ...notice, noticedAt: undefined }), { pending: true })
        .text,
    ).toBe(
      'Spot reclaim notice on 2 replicas: no on-demand stand-in serves yet; a fallback waits for approval.',
    );
  });

  it('says when spot has no capacity', () => {
    expect(
      status(
        serving(
          { ready: 0, waitingForNode: 2, waitingSince: minutesBefore(5) },
          { ready: 2 },
        ),
      ),
    ).toEqual({
      text: 'No spot capacity: 2 replicas waiting for a node since 5 min ago; the on-demand stand-in serves 2 of 2 replicas.',
      tone: 'warning',
    });
  });

  it('says when spot serves again, with the stand-in up for the hold or parked', () => {
    expect(status(serving({}, { desired: 2, ready: 2 }))).toEqual({
      text: 'Spot serves again: 2 of 2 Ready on g6-l4-spot (prod-use1); the on-demand stand-in stays up for a hold, then is parked at 0.',
      tone: 'info',
    });
    expect(status(serving({}, { desired: 0, ready: 0 }))).toEqual({
      text: 'Back on spot: 2 of 2 replicas Ready on g6-l4-spot (prod-use1); the on-demand stand-in is parked at 0.',
      tone: 'success',
    });
  });

  it('says plainly when the model is not on spot, or its serving is not known', () => {
    const onDemand = serving({
      capacityType: 'on-demand',
      pool: 'gpupool:default/prod-use1.l4-ondemand',
      title: 'l4-ondemand (prod-use1)',
    });
    expect(status(onDemand)).toEqual({
      text: 'Runs on on-demand capacity, l4-ondemand (prod-use1): no spot fallback needed.',
      tone: 'info',
    });
    expect(status(serving({ capacityType: undefined })).text).toBe(
      'Runs on g6-l4-spot (prod-use1), whose capacity type is not known: no spot fallback shown.',
    );
    expect(
      status(serving({ capacityType: 'reserved' }, { desired: 1 })).text,
    ).toBe(
      'Runs on g6-l4-spot (prod-use1); its on-demand stand-in llama-3-1-8b-chat-on-demand still wants 1 replica.',
    );
    expect(
      status(undefined, { missing: 'no workload on a connected cluster' }),
    ).toEqual({
      text: 'Not known how it is served: no workload on a connected cluster.',
      tone: 'info',
    });
    expect(status(undefined).text).toBe(
      'Not known how it is served: ModelFleet has not seen its Deployment on a cluster.',
    );
  });

  it('is under way while an action runs, a notice is on, or a stand-in is up', () => {
    expect(underWay(serving(), [{ state: 'done' }])).toBe(false);
    expect(underWay(undefined, [])).toBe(false);
    expect(underWay(undefined, [{ state: 'planned' }])).toBe(true);
    expect(underWay(serving({ underNotice: 1 }), [])).toBe(true);
    expect(underWay(serving({ waitingForNode: 1 }), [])).toBe(true);
    expect(underWay(serving({}, { desired: 2 }), [])).toBe(true);
    expect(underWay(serving({}, { desired: 0, ready: 0 }), [])).toBe(false);
  });
});
