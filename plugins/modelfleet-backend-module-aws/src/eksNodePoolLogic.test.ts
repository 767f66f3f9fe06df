import {
  eksActuatorError,
  scalingForMinimum,
  sizeOfScaling,
} from './eksNodePoolLogic';

const REF = { cluster: 'gpu-prod', pool: 'a100' };

describe('scalingForMinimum', () => {
  it('keeps max and desired, raising desired only below the new minimum', () => {
    const size = { min: 2, max: 6, desired: 3 };
    expect(scalingForMinimum(REF, size, 0)).toEqual({
      minSize: 0,
      maxSize: 6,
      desiredSize: 3,
    });
    expect(scalingForMinimum(REF, size, 5)).toEqual({
      minSize: 5,
      maxSize: 6,
      desiredSize: 5,
    });
    expect(scalingForMinimum(REF, size, 6)).toEqual({
      minSize: 6,
      maxSize: 6,
      desiredSize: 6,
    });
    expect(scalingForMinimum(REF, size, 2)).toBeUndefined();
    expect(() => scalingForMinimum(REF, size, 7)).toThrow(
      'cluster gpu-prod, node group a100: the minimum size 7 is above the maximum size 6',
    );
  });

  it('uses the minimum as desired when EKS gives none', () => {
    expect(scalingForMinimum(REF, { min: 1, max: 3 }, 0)).toEqual({
      minSize: 0,
      maxSize: 3,
      desiredSize: 1,
    });
  });
});

describe('sizeOfScaling', () => {
  it('reads the bounds and names a missing field', () => {
    expect(
      sizeOfScaling(REF, { minSize: 0, maxSize: 2, desiredSize: 1 }),
    ).toEqual({ min: 0, max: 2, desired: 1 });
    expect(sizeOfScaling(REF, { minSize: 0, maxSize: 2 })).toEqual({
      min: 0,
      max: 2,
    });
    expect(() => sizeOfScaling(REF, { minSize: 0 })).toThrow(
      'cluster gpu-prod, node group a100: EKS returned no nodegroup.scalingConfig.maxSize',
    );
    expect(() => sizeOfScaling(REF, undefined)).toThrow(/minSize/);
  });
});

describe('eksActuatorError', () => {
  function sdkError(name: string, status?: number, extra: object = {}) {
    return Object.assign(new Error(`${name} message`), {
      name,
      ...(status ? { $metadata: { httpStatusCode: status, attempts: 1 } } : {}),
      ...extra,
    });
  }

  it.each([
    ['ThrottlingException', 429, 'unavailable', true],
    ['ServerException', 500, 'unavailable', true],
    ['ResourceInUseException', 409, 'conflict', true],
    ['ResourceNotFoundException', 404, 'notFound', false],
    ['AccessDeniedException', 403, 'forbidden', false],
    ['ExpiredTokenException', 403, 'unauthorized', false],
    ['InvalidRequestException', 400, 'invalid', false],
    ['SomethingNew', 401, 'unauthorized', false],
    ['SomethingNew', 422, 'invalid', false],
    ['SomethingNew', 502, 'unavailable', true],
    ['TimeoutError', undefined, 'timeout', true],
  ])('maps %s (HTTP %s) to %s', (name, status, code, retryable) => {
    const e = eksActuatorError(
      REF,
      'DescribeNodegroup',
      sdkError(name, status),
    );
    expect(e).toMatchObject({ code, retryable, status });
    expect(e.message).toMatch(
      new RegExp(
        `^cluster gpu-prod, node group a100: EKS DescribeNodegroup failed: ${name}: ${name} message`,
      ),
    );
  });

  it('maps connection errors to unavailable and ETIMEDOUT to timeout', () => {
    expect(
      eksActuatorError(
        REF,
        'x',
        sdkError('Error', undefined, { code: 'ECONNRESET' }),
      ).code,
    ).toBe('unavailable');
    expect(
      eksActuatorError(
        REF,
        'x',
        sdkError('Error', undefined, { code: 'ETIMEDOUT' }),
      ).code,
    ).toBe('timeout');
  });
});
