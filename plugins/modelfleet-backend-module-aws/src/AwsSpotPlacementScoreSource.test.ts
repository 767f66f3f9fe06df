import { AwsSpotPlacementScoreSource } from './AwsSpotPlacementScoreSource';
import {
  AwsTestServer,
  ec2Error,
  ec2Params,
  ec2Xml,
  startAwsServer,
  TEST_CREDENTIALS,
} from './__testUtils__/awsServer';

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** A `DescribeAvailabilityZones` response as EC2 sends it. */
function zones(region: string, list: Array<[string, string]>) {
  return ec2Xml(`<?xml version="1.0" encoding="UTF-8"?>
<DescribeAvailabilityZonesResponse xmlns="${XMLNS}">
  <requestId>e23c5a4b-0bb4-4e03-8b5d-4a9cEXAMPLE</requestId>
  <availabilityZoneInfo>${list
    .map(
      ([name, id]) => `
    <item>
      <zoneName>${name}</zoneName>
      <zoneId>${id}</zoneId>
      <zoneState>available</zoneState>
      <regionName>${region}</regionName>
      <zoneType>availability-zone</zoneType>
    </item>`,
    )
    .join('')}
  </availabilityZoneInfo>
</DescribeAvailabilityZonesResponse>`);
}

/** A `GetSpotPlacementScores` response as EC2 sends it. */
function scores(
  items: Array<{ region: string; zoneId?: string; score: string }>,
  nextToken?: string,
) {
  return ec2Xml(`<?xml version="1.0" encoding="UTF-8"?>
<GetSpotPlacementScoresResponse xmlns="${XMLNS}">
  <requestId>9b2f6a4c-1c3d-4e5f-8a9b-0c1dEXAMPLE</requestId>
  <spotPlacementScoreSet>${items
    .map(
      i => `
    <item>
      <region>${i.region}</region>${
        i.zoneId
          ? `\n      <availabilityZoneId>${i.zoneId}</availabilityZoneId>`
          : ''
      }
      <score>${i.score}</score>
    </item>`,
    )
    .join('')}
  </spotPlacementScoreSet>
  ${nextToken ? `<nextToken>${nextToken}</nextToken>` : ''}
</GetSpotPlacementScoresResponse>`);
}

const NOW = new Date('2026-12-06T12:00:00.000Z');

describe('AwsSpotPlacementScoreSource', () => {
  let server: AwsTestServer;
  afterEach(() => server?.close());

  const source = () =>
    new AwsSpotPlacementScoreSource({
      regions: ['us-east-1', 'us-west-2'],
      endpoint: server.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 2,
      now: () => NOW,
    });

  it('scores each instance type in a single zone, zone ids named as the account names them, pages followed', async () => {
    server = await startAwsServer(req => {
      const p = ec2Params(req);
      if (p.get('Action') === 'DescribeAvailabilityZones') {
        return req.signingRegion === 'us-east-1'
          ? zones('us-east-1', [
              ['us-east-1a', 'use1-az6'],
              ['us-east-1b', 'use1-az1'],
            ])
          : zones('us-west-2', [['us-west-2a', 'usw2-az2']]);
      }
      if (p.get('InstanceType.1') === 'g5.xlarge') {
        if (p.get('NextToken') === 'page2') {
          return scores([
            { region: 'us-west-2', zoneId: 'usw2-az2', score: '3' },
          ]);
        }
        return scores(
          [
            { region: 'us-east-1', zoneId: 'use1-az6', score: '9' },
            { region: 'us-east-1', zoneId: 'use1-az1', score: '7' },
          ],
          'page2',
        );
      }
      return scores([
        { region: 'us-east-1', zoneId: 'use1-az1', score: '1' },
        // A zone the account does not see, and a score out of range.
        { region: 'us-east-1', zoneId: 'use1-az9', score: '5' },
        { region: 'us-east-1', zoneId: 'use1-az6', score: '11' },
      ]);
    });
    const { signals, issues } = await source().listSpotRisk([
      { provider: 'aws', instanceType: 'g5.xlarge', region: 'us-east-1' },
      { provider: 'aws', instanceType: 'g5.xlarge', region: 'us-west-2' },
      { provider: 'aws', instanceType: 'p4d.24xlarge', region: 'us-east-1' },
      // Not AWS, not a configured region, not an instance type: not asked.
      { provider: 'gcp', instanceType: 'g2-standard-8', region: 'us-central1' },
      { provider: 'aws', instanceType: 'g5.xlarge', region: 'eu-west-1' },
      { provider: 'aws', instanceType: 'g5 xlarge', region: 'us-east-1' },
    ]);
    const at = NOW.toISOString();
    expect(signals).toEqual([
      expect.objectContaining({
        instanceType: 'g5.xlarge',
        region: 'us-east-1',
        zone: 'us-east-1a',
        placementScore: 9,
        observedAt: at,
        source: 'aws-spot-placement-scores',
      }),
      expect.objectContaining({
        instanceType: 'g5.xlarge',
        region: 'us-east-1',
        zone: 'us-east-1b',
        placementScore: 7,
      }),
      expect.objectContaining({
        instanceType: 'g5.xlarge',
        region: 'us-west-2',
        zone: 'us-west-2a',
        placementScore: 3,
      }),
      expect.objectContaining({
        instanceType: 'p4d.24xlarge',
        region: 'us-east-1',
        zone: 'us-east-1b',
        placementScore: 1,
      }),
    ]);
    expect(issues).toEqual([
      "instance type 'g5 xlarge' of us-east-1 is not an EC2 instance type: not scored",
      expect.stringMatching(
        /p4d\.24xlarge.*spotPlacementScoreSet\[1\]\.availabilityZoneId 'use1-az9' is not among the zones/,
      ),
      expect.stringMatching(
        /spotPlacementScoreSet\[2\]\.score '11' is not a whole number 1–10/,
      ),
    ]);
    const asked = server.requests
      .map(r => ec2Params(r))
      .filter(p => p.get('Action') === 'GetSpotPlacementScores')
      .map(p => ({
        type: p.get('InstanceType.1'),
        regions: [p.get('RegionName.1'), p.get('RegionName.2')],
        capacity: `${p.get('TargetCapacity')} ${p.get(
          'TargetCapacityUnitType',
        )}`,
        singleZone: p.get('SingleAvailabilityZone'),
        nextToken: p.get('NextToken'),
      }));
    expect(asked).toEqual([
      {
        type: 'g5.xlarge',
        regions: ['us-east-1', 'us-west-2'],
        capacity: '1 units',
        singleZone: 'true',
        nextToken: null,
      },
      {
        type: 'g5.xlarge',
        regions: ['us-east-1', 'us-west-2'],
        capacity: '1 units',
        singleZone: 'true',
        nextToken: 'page2',
      },
      {
        type: 'p4d.24xlarge',
        regions: ['us-east-1', null],
        capacity: '1 units',
        singleZone: 'true',
        nextToken: null,
      },
    ]);
  });

  it('asks nothing when no query is for its cloud and regions', async () => {
    server = await startAwsServer(() => scores([]));
    await expect(
      source().listSpotRisk([
        {
          provider: 'azure',
          instanceType: 'Standard_NC4as_T4_v3',
          region: 'eastus',
        },
      ]),
    ).resolves.toEqual({ signals: [], issues: [] });
    expect(server.requests).toHaveLength(0);
  });

  it('names the call and the AWS error when the account may not ask', async () => {
    server = await startAwsServer(req =>
      ec2Params(req).get('Action') === 'DescribeAvailabilityZones'
        ? zones('us-east-1', [['us-east-1a', 'use1-az6']])
        : ec2Error(
            'UnauthorizedOperation',
            'You are not authorized to perform: ec2:GetSpotPlacementScores',
            403,
          ),
    );
    await expect(
      source().listSpotRisk([
        { provider: 'aws', instanceType: 'g5.xlarge', region: 'us-east-1' },
      ]),
    ).rejects.toThrow(
      /AWS EC2 GetSpotPlacementScores \(g5\.xlarge\) failed: UnauthorizedOperation: .*ec2:GetSpotPlacementScores.*HTTP 403/,
    );
  });
});
