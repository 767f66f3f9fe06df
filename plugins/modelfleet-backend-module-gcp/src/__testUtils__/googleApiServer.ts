import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A request the loopback server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Milliseconds since the server started. */
  at: number;
}

/** What the server answers: JSON, or raw text with a content type. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

export type Handler = (req: RecordedRequest) => Reply;

/**
 * A Google REST API on 127.0.0.1: every request is recorded, then answered
 * by the handler of the test (which may change between tests).
 */
export class GoogleApiServer {
  readonly requests: RecordedRequest[] = [];
  handler: Handler = () => ({
    status: 404,
    json: googleError(404, 'NOT_FOUND', 'no handler'),
  });

  private constructor(
    private readonly server: http.Server,
    private readonly started: number,
  ) {}

  static async start(): Promise<GoogleApiServer> {
    const server = http.createServer();
    const api = new GoogleApiServer(server, Date.now());
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now() - api.started,
        };
        api.requests.push(recorded);
        let reply: Reply;
        try {
          reply = api.handler(recorded);
        } catch (e) {
          reply = {
            status: 500,
            json: googleError(500, 'INTERNAL', `test handler: ${e}`),
          };
        }
        const body =
          reply.text !== undefined ? reply.text : JSON.stringify(reply.json);
        res.writeHead(reply.status ?? 200, {
          'content-type':
            reply.text !== undefined
              ? 'text/html'
              : 'application/json; charset=UTF-8',
          ...reply.headers,
        });
        res.end(body);
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    return api;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  reset(handler: Handler) {
    this.requests.length = 0;
    this.handler = handler;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise(r => this.server.close(r));
  }
}

/** A Google API error body (`google.rpc.Status` in the REST mapping). */
export function googleError(
  code: number,
  status: string,
  message: string,
  reason?: string,
) {
  return {
    error: {
      code,
      message,
      ...(reason ? { errors: [{ message, domain: 'global', reason }] } : {}),
      status,
    },
  };
}
