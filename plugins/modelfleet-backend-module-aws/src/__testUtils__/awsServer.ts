import http from 'node:http';
import { AddressInfo } from 'node:net';

/** Static credentials the tests sign with (SigV4 is checked, not verified). */
export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDMODELFLEETTEST',
  secretAccessKey: 'modelfleet/test/secret/key/not/real/0000000',
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Region of the SigV4 credential scope (`Credential=AKID/date/<region>/svc/aws4_request`). */
  signingRegion?: string;
  signingService?: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body: string;
}

export interface AwsTestServer {
  endpoint: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server on 127.0.0.1 that answers each request with
 * `handle`. Every request must carry a SigV4 `Authorization` header made
 * with {@link TEST_CREDENTIALS}; others get 403 like AWS would.
 */
export async function startAwsServer(
  handle: (req: RecordedRequest, index: number) => Reply | Promise<Reply>,
): Promise<AwsTestServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      const auth = String(req.headers.authorization ?? '');
      const scope = auth.match(
        /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/,
      );
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        signingRegion: scope?.[2],
        signingService: scope?.[3],
      };
      requests.push(recorded);
      let reply: Reply;
      if (!scope || scope[1] !== TEST_CREDENTIALS.accessKeyId) {
        reply = {
          status: 403,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify({
            __type: 'UnrecognizedClientException',
            message: 'The security token included in the request is invalid.',
          }),
        };
      } else {
        try {
          reply = await handle(recorded, requests.length - 1);
        } catch (e) {
          reply = { status: 500, body: `test server: ${(e as Error).message}` };
        }
      }
      res.writeHead(reply.status ?? 200, {
        'x-amzn-requestid': `req-${requests.length}`,
        ...reply.headers,
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(e => (e ? reject(e) : resolve()));
      }),
  };
}

/** A JSON 1.1 response (Pricing, Cost Explorer). */
export function json11(body: unknown, status = 200): Reply {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  };
}

/** A JSON 1.1 error as AWS sends it: `__type` and `message`. */
export function json11Error(
  type: string,
  message: string,
  status = 400,
): Reply {
  return json11({ __type: type, message }, status);
}

/**
 * Checks that a request is the JSON 1.1 call `target` and returns its input.
 */
export function json11Input(req: RecordedRequest, target: string): any {
  if (req.method !== 'POST') throw new Error(`method ${req.method}`);
  if (req.headers['x-amz-target'] !== target) {
    throw new Error(
      `X-Amz-Target ${req.headers['x-amz-target']}, expected ${target}`,
    );
  }
  if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
    throw new Error(`Content-Type ${req.headers['content-type']}`);
  }
  return JSON.parse(req.body);
}

/** The form parameters of an EC2 query request. */
export function ec2Params(req: RecordedRequest): URLSearchParams {
  if (req.method !== 'POST') throw new Error(`method ${req.method}`);
  if (
    !String(req.headers['content-type']).startsWith(
      'application/x-www-form-urlencoded',
    )
  ) {
    throw new Error(`Content-Type ${req.headers['content-type']}`);
  }
  return new URLSearchParams(req.body);
}

/** An EC2 query-protocol XML response. */
export function ec2Xml(body: string, status = 200): Reply {
  return {
    status,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body,
  };
}

/** An EC2 error document, e.g. `RequestLimitExceeded` with status 503. */
export function ec2Error(code: string, message: string, status: number): Reply {
  return ec2Xml(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>`,
    status,
  );
}
