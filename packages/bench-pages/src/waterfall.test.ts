import { cardTimes, formatWaterfall } from './waterfall';

describe('formatWaterfall', () => {
  const base = 'http://localhost:7007';
  const lines = formatWaterfall(
    [
      {
        url: `${base}/api/modelfleet/cost/entity/model/default/m`,
        start: 500,
        end: 1000,
        bytes: 2048,
        initiator: 'fetch',
      },
      {
        url: `${base}/static/main.js`,
        start: 0,
        end: 400,
        bytes: 10240,
        initiator: 'script',
      },
    ],
    base,
    1000,
  );

  it('lists the requests in the order they started, with bars', () => {
    expect(lines[1]).toBe(
      `       0    400    10.0 kB |${'#'.repeat(16)}${' '.repeat(
        24,
      )}| /static/main.js`,
    );
    expect(lines[2]).toBe(
      `     500   1000     2.0 kB |${' '.repeat(20)}${'#'.repeat(
        20,
      )}| /api/modelfleet/cost/entity/model/default/m`,
    );
  });

  it('ends with the API calls, the scripts and when the cards rendered', () => {
    expect(lines[lines.length - 1]).toBe(
      '  1 API calls, the last answered at 1000 ms; 1 scripts, 10 kB over the wire; cards rendered at 1000 ms',
    );
  });
});

describe('cardTimes', () => {
  it('lists the cards first to last', () => {
    expect(
      cardTimes({
        'modelfleet-spot-card': 840.4,
        'modelfleet-cost-card': 812,
        'modelfleet-at-a-glance': 90,
      }),
    ).toBe('cards: at-a-glance 90 ms, cost 812 ms, spot 840 ms');
  });
});
