import { describeKubernetesError, statusOf } from './ResourceInformer';

describe('describeKubernetesError', () => {
  it('names the HTTP status of a client error, with the Status message', () => {
    const apiError = Object.assign(new Error('HTTP-Code: 503 ...'), {
      code: 503,
      body: JSON.stringify({
        kind: 'Status',
        code: 503,
        message: 'etcd is unavailable',
      }),
    });
    expect(describeKubernetesError(apiError)).toBe(
      '503 Service Unavailable: etcd is unavailable',
    );
    expect(
      describeKubernetesError(Object.assign(new Error('x'), { code: 401 })),
    ).toBe('401 Unauthorized');
    expect(
      describeKubernetesError(
        Object.assign(new Error('Forbidden'), {
          statusCode: 403,
          body: {
            message:
              'nodes is forbidden: User "system:serviceaccount:backstage:modelfleet" cannot watch resource "nodes"',
          },
        }),
      ),
    ).toBe(
      '403 Forbidden: nodes is forbidden: User "system:serviceaccount:backstage:modelfleet" cannot watch resource "nodes"',
    );
  });

  it('gives the message of a network error', () => {
    const fetchError = Object.assign(
      new Error(
        'request to http://127.0.0.1:1/api/v1/nodes failed, reason: connect ECONNREFUSED 127.0.0.1:1',
      ),
      { code: 'ECONNREFUSED' },
    );
    expect(statusOf(fetchError)).toBeUndefined();
    expect(describeKubernetesError(fetchError)).toMatch(/ECONNREFUSED/);
    expect(describeKubernetesError('boom')).toBe('boom');
  });
});
