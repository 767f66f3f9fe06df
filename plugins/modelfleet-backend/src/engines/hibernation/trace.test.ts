import { parseLoadLatency, parseRequestTrace, parseTimestamp } from './trace';

// 2024-11-15 16:57:50 UTC: 2024-01-01 is 1704067200; Nov 15 is day 319 of
// the leap year (305 days to Nov 1, + 14): + 319 × 86400 + 61070 s.
const T = 1704067200 + 319 * 86400 + 16 * 3600 + 57 * 60 + 50;

describe('parseTimestamp', () => {
  it('reads the trace format as UTC, ISO 8601 and epoch seconds', () => {
    expect(parseTimestamp('2024-11-15 16:57:50')).toBe(T);
    expect(parseTimestamp('2024-11-15T16:57:50Z')).toBe(T);
    expect(parseTimestamp('2024-11-15T18:57:50+02:00')).toBe(T);
    expect(parseTimestamp('2024-11-15 16:57:50.5')).toBe(T + 0.5);
    expect(parseTimestamp('2024-11-15')).toBe(T - 61070);
    expect(parseTimestamp(String(T))).toBe(T);
  });

  it('rejects what is not a date', () => {
    expect(parseTimestamp('')).toBeUndefined();
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2024-02-30 00:00:00')).toBeUndefined();
    expect(parseTimestamp('2024-13-01 00:00:00')).toBeUndefined();
  });
});

const HEADER =
  'gmt_create,predict_type,predict_status,exec_time_seconds,groupId,prompt_length,negative_prompt_length,num_images_per_prompt,num_inference_steps,checkpoint_model_version_id,num_lora';

describe('parseRequestTrace', () => {
  it('keeps good rows of every status and reports bad ones by line and column', () => {
    const csv = [
      HEADER,
      '2024-11-15 16:57:50,TXT_2_IMG,SUCCEED,32.0,G0000,63.0,26.0,1.0,30.0,M0000,0',
      '2024-11-15 16:58:00,TXT_2_IMG,FAILED,3.0,G0001,"a, quoted",,1.0,30.0,M0001,0',
      '2024-11-26 22:50:35,TXT_2_IMG,PENDING,0.0,G0325,,,,,,0',
      'not a time,TXT_2_IMG,SUCCEED,32.0,G0000,63.0,26.0,1.0,30.0,M0000,0',
      '2024-11-15 16:59:00,TXT_2_IMG,SUCCEED,abc,G0000,63.0,26.0,1.0,30.0,M0000,0',
      '',
      '2024-11-15 17:00:00,TXT_2_IMG,SUCCEED,5,G0000,1,2,3,4,M0002',
    ].join('\n');
    const t = parseRequestTrace(csv);
    expect(t.requests).toEqual([
      { model: 'M0000', start: T, execSeconds: 32 },
      { model: 'M0001', start: T + 10, execSeconds: 3 },
      { model: 'M0002', start: T + 130, execSeconds: 5 },
    ]);
    expect(t.rows).toBe(6);
    expect(t.statuses).toEqual({ SUCCEED: 2, FAILED: 1 });
    expect(t.warnings).toEqual([]);
    expect(t.issues.map(i => [i.line, i.column])).toEqual([
      [4, 'checkpoint_model_version_id'],
      [5, 'gmt_create'],
      [6, 'exec_time_seconds'],
    ]);
  });

  it('skips a malformed line alone, and reads quoted fields', () => {
    const csv = [
      '\uFEFFgmt_create,predict_status,exec_time_seconds,checkpoint_model_version_id',
      '2024-11-15 16:57:50,SUCCEED,3,M1',
      '2024-11-15 16:57:51,SUCCEED,"bad"quote",M1',
      '2024-11-15 16:57:52,SUCCEED,"4",M1',
      '2024-11-15 16:57:53,SUCCEED,"5,6',
      'garbage',
      '2024-11-15 16:57:54,"SUC""CEED",-4,M1',
      '2024-11-15 16:57:55,FAILED,4,"M ""2"""\r',
    ].join('\n');
    const t = parseRequestTrace(csv);
    expect(t.requests).toEqual([
      { model: 'M1', start: T, execSeconds: 3 },
      { model: 'M1', start: T + 2, execSeconds: 4 },
      { model: 'M "2"', start: T + 5, execSeconds: 4 },
    ]);
    expect(t.issues.map(i => [i.line, i.column])).toEqual([
      [3, '(row)'],
      [5, '(row)'],
      [6, 'gmt_create'],
      [7, 'exec_time_seconds'],
    ]);
  });

  it('filters by [from, to)', () => {
    const csv = [
      'gmt_create,checkpoint_model_version_id,exec_time_seconds',
      '2024-11-15 16:57:50,M1,1',
      '2024-11-15 16:58:50,M1,1',
      '2024-11-15 16:59:50,M1,1',
    ].join('\n');
    const t = parseRequestTrace(csv, { from: T + 60, to: T + 120 });
    expect(t.requests.map(r => r.start)).toEqual([T + 60]);
    expect(t.outsidePeriod).toBe(2);
  });

  it('does without the optional columns, and names a missing required one', () => {
    const t = parseRequestTrace(
      'GMT_Create , checkpoint_model_version_id\n2024-11-15 16:57:50,M1\n',
    );
    expect(t.requests).toEqual([{ model: 'M1', start: T, execSeconds: 0 }]);
    expect(t.warnings).toHaveLength(2);
    expect(() =>
      parseRequestTrace('gmt_create,groupId\n2024-11-15 16:57:50,G1\n'),
    ).toThrow(/missing required column checkpoint_model_version_id/);
    expect(() => parseRequestTrace('')).toThrow(/missing required columns/);
  });
});

describe('parseLoadLatency', () => {
  it('takes the median of the positive values, in seconds', () => {
    const csv = [
      'timestamp_anon,value,container_ip',
      '1662859290.0,3000.0,a',
      '1662859404.0,1000.0,b',
      '1662859461.0,x,c',
      '1662859461.0,,d',
      '1662859518.0,2000.0,e',
    ].join('\n');
    const l = parseLoadLatency(csv);
    expect(l).toMatchObject({ loadSeconds: 2, samples: 3, rows: 5 });
    expect(l.issues.map(i => [i.line, i.column])).toEqual([
      [4, 'value'],
      [5, 'value'],
    ]);
    // an even count: the mean of the two middle values
    expect(parseLoadLatency('value\n1000\n4000\n').loadSeconds).toBe(2.5);
  });

  it('fails on a file with no usable value', () => {
    expect(() => parseLoadLatency('value\nx\n')).toThrow(/no usable value/);
    expect(() => parseLoadLatency('ms\n1\n')).toThrow(
      /missing required column value/,
    );
  });
});
