import {
  availabilityOf,
  parseSpotPriceHistory,
  parseSpotTrace,
  parseTraceName,
  zoneRegion,
} from './spotTrace';

const FILE = 'us-east-1a_v100_1.json';

describe('parseTraceName', () => {
  it('reads zone, region, cloud, GPU and GPUs per instance', () => {
    expect(parseTraceName('us-west-2b_v100_8.json')).toEqual({
      zone: 'us-west-2b',
      region: 'us-west-2',
      cloud: 'aws',
      gpu: 'V100',
      gpusPerInstance: 8,
    });
    expect(zoneRegion('us-central1-a')).toEqual({
      region: 'us-central1',
      cloud: 'gcp',
    });
    expect(zoneRegion('eastus-2')).toEqual({
      region: 'eastus',
      cloud: 'azure',
    });
  });

  it('names the file when the name does not fit', () => {
    expect(() => parseTraceName('v100.json')).toThrow(
      /^v100\.json: a spot trace is named <zone>_<gpu>_<GPUs per instance>\.json/,
    );
    expect(() => parseTraceName('nowhere_v100_1.json')).toThrow(
      /nowhere_v100_1\.json: 'nowhere' is not a zone name/,
    );
    expect(() => parseTraceName('us-east-1a_v100_0.json')).toThrow(
      /GPUs per instance '0' is not ≥ 1/,
    );
  });
});

describe('parseSpotTrace', () => {
  it('reads gap and values', () => {
    const t = parseSpotTrace(
      FILE,
      '{"metadata": {"gap_seconds": 195}, "data": [0, 1, 2]}',
    );
    expect(t.gapSeconds).toBe(195);
    expect([...t.values]).toEqual([0, 1, 2]);
    expect(t.zone).toBe('us-east-1a');
  });

  it('names the file, line and column of unreadable JSON', () => {
    expect(() =>
      parseSpotTrace(FILE, '{"metadata": {"gap_seconds": 195}\n "data": [0]}'),
    ).toThrow(/^us-east-1a_v100_1\.json: not JSON: .*\(line 2 column 2\)/);
  });

  it('says what is missing or wrong', () => {
    const bad = (text: string) => () => parseSpotTrace(FILE, text);
    expect(bad('{"data": [0]}')).toThrow(
      'us-east-1a_v100_1.json: metadata.gap_seconds is missing',
    );
    expect(bad('{"metadata": {"gap_seconds": "195"}, "data": [0]}')).toThrow(
      'metadata.gap_seconds is "195", not a number of seconds > 0',
    );
    expect(bad('{"metadata": {"gap_seconds": 0}, "data": [0]}')).toThrow(
      'metadata.gap_seconds is 0',
    );
    expect(bad('{"metadata": {"gap_seconds": 195}}')).toThrow(
      '"data" is missing or not an array',
    );
    expect(bad('{"metadata": {"gap_seconds": 195}, "data": []}')).toThrow(
      '"data" is empty',
    );
    expect(
      bad('{"metadata": {"gap_seconds": 195}, "data": [0, 1, "x"]}'),
    ).toThrow('data[2] is "x", not a number ≥ 0');
    expect(bad('[0, 1]')).toThrow('expected {"metadata": {…}, "data": […]}');
  });
});

describe('availabilityOf', () => {
  it('reads the values both ways, each the inverse of the other on 0/1', () => {
    expect([...availabilityOf([0, 1, 0, 2], 'availability')]).toEqual([
      0, 1, 0, 1,
    ]);
    expect([...availabilityOf([0, 1, 0, 2], 'preemption')]).toEqual([
      1, 0, 1, 0,
    ]);
  });
});

describe('parseSpotPriceHistory', () => {
  it('reads CSV in any column order, skips bad rows by line and field, sorts by time', () => {
    const h = parseSpotPriceHistory(
      [
        'SpotPrice,AvailabilityZone,InstanceType,ProductDescription,Timestamp',
        '0.9180,us-east-2b,p3.2xlarge,Linux/UNIX,2023-02-15T06:00:00.000Z',
        '0.9036,us-east-2a,p3.2xlarge,Linux/UNIX,2023-02-15T00:00:00Z',
        'abc,us-east-2a,p3.2xlarge,Linux/UNIX,2023-02-15T00:00:00Z',
        '0.5,us-east-2a,p3.2xlarge,Linux/UNIX,yesterday',
        '0.5,,p3.2xlarge,Linux/UNIX,2023-02-15T00:00:00Z',
        '',
      ].join('\n'),
    );
    expect(h.format).toBe('csv');
    expect(h.rows).toBe(5);
    expect(h.points).toEqual([
      {
        at: Date.UTC(2023, 1, 15) / 1000,
        instanceType: 'p3.2xlarge',
        zone: 'us-east-2a',
        usdPerHour: 0.9036,
      },
      {
        at: Date.UTC(2023, 1, 15, 6) / 1000,
        instanceType: 'p3.2xlarge',
        zone: 'us-east-2b',
        usdPerHour: 0.918,
      },
    ]);
    expect(h.issues).toEqual([
      {
        where: 'line 4',
        field: 'SpotPrice',
        message: '"abc" is not a price > 0 (USD/h)',
      },
      {
        where: 'line 5',
        field: 'Timestamp',
        message: '"yesterday" is not a time',
      },
      { where: 'line 6', field: 'AvailabilityZone', message: 'empty' },
    ]);
  });

  it('fails on a CSV header without a needed column', () => {
    expect(() =>
      parseSpotPriceHistory('Timestamp,InstanceType,SpotPrice\n'),
    ).toThrow('the CSV header (line 1) has no AvailabilityZone column');
  });

  it('reads the JSON of the AWS CLI and bare arrays, naming bad items', () => {
    const item = {
      AvailabilityZone: 'us-west-2a',
      InstanceType: 'p3.2xlarge',
      SpotPrice: '0.3581',
      Timestamp: '2023-02-15T00:00:00+00:00',
    };
    const h = parseSpotPriceHistory(
      JSON.stringify({
        SpotPriceHistory: [item, { ...item, SpotPrice: '-1' }, 7],
      }),
    );
    expect(h.format).toBe('json');
    expect(h.points).toHaveLength(1);
    expect(h.points[0].usdPerHour).toBe(0.3581);
    expect(h.issues).toEqual([
      {
        where: 'SpotPriceHistory[1]',
        field: 'SpotPrice',
        message: '"-1" is not a price > 0 (USD/h)',
      },
      {
        where: 'SpotPriceHistory[2]',
        field: '(item)',
        message: 'not an object',
      },
    ]);
    expect(parseSpotPriceHistory(JSON.stringify([item])).points).toHaveLength(
      1,
    );
    expect(() => parseSpotPriceHistory('{"Prices": []}')).toThrow(
      'JSON without a SpotPriceHistory array',
    );
    expect(() => parseSpotPriceHistory('{"SpotPriceHistory": [')).toThrow(
      /^not JSON/,
    );
  });
});
