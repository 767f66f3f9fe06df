import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for vLLM's HTTP server in sleep mode, on loopback: what the
 * wake gate calls and proxies to.
 *
 * - `GET /is_sleeping` answers `{"is_sleeping": true|false}`;
 * - `POST /sleep?level=1` puts it to sleep; `POST /wake_up` wakes it after
 *   `wakeMs` (or fails, as `failWake` says);
 * - `POST /v1/completions` answers 503 while asleep (a sleeping vLLM has no
 *   weights on the GPU) and 200 awake, echoing the prompt's length; with
 *   `"stream": true` it sends a first event, then holds the stream until
 *   `releaseStream()`;
 * - `GET /health`, `/metrics`, `/v1/models`, `/tokenize` answer asleep too.
 */
export class FakeVllm {
  asleep = true;
  wakeMs = 300;
  /** How `/wake_up` fails: not at all, with an HTTP 500, or by dropping its connection. */
  failWake: 'no' | 'status' | 'reset' = 'no';
  /** Every request, `METHOD /path`, in the order it arrived. */
  readonly calls: string[] = [];
  /** Every request that finished, in the order it was answered. */
  readonly answered: string[] = [];
  /** Bodies of the completions received, by length. */
  readonly bodyLengths: number[] = [];
  wakeUps = 0;
  private release: (() => void) | undefined;
  private held: Promise<void> | undefined;
  private readonly server = http.createServer((req, res) =>
    this.handle(req, res),
  );

  async start(): Promise<number> {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.release?.();
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  reset() {
    this.asleep = true;
    this.wakeMs = 300;
    this.failWake = 'no';
    this.calls.length = 0;
    this.answered.length = 0;
    this.bodyLengths.length = 0;
    this.wakeUps = 0;
    this.held = new Promise(resolve => {
      this.release = resolve;
    });
  }

  /** Lets a held stream send the rest of its events. */
  releaseStream() {
    this.release?.();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    const call = `${req.method} ${path}`;
    this.calls.push(call);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      res.on('finish', () => this.answered.push(call));
      this.route(call, body, res).catch(e => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
  }

  private json(res: http.ServerResponse, status: number, value: unknown) {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(value));
  }

  private async route(call: string, body: string, res: http.ServerResponse) {
    switch (call) {
      case 'GET /is_sleeping':
        return this.json(res, 200, { is_sleeping: this.asleep });
      case 'POST /sleep':
        this.asleep = true;
        return res.end();
      case 'POST /wake_up': {
        this.wakeUps += 1;
        await new Promise(resolve => setTimeout(resolve, this.wakeMs));
        if (this.failWake === 'reset') {
          res.socket?.destroy();
          return undefined;
        }
        if (this.failWake === 'status') {
          return this.json(res, 500, { error: 'CUDA out of memory' });
        }
        this.asleep = false;
        return res.end();
      }
      case 'GET /health':
        return res.end();
      case 'GET /metrics':
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        return res.end(
          `vllm:num_requests_running{model_name="m"} 0\nvllm:is_sleeping ${
            this.asleep ? 1 : 0
          }\n`,
        );
      case 'GET /v1/models':
        return this.json(res, 200, { object: 'list', data: [{ id: 'm' }] });
      case 'POST /tokenize':
        return this.json(res, 200, { tokens: [1, 2, 3] });
      case 'POST /v1/completions':
        return this.completions(body, res);
      default:
        return this.json(res, 404, { detail: 'Not Found' });
    }
  }

  private async completions(body: string, res: http.ServerResponse) {
    this.bodyLengths.push(Buffer.byteLength(body));
    if (this.asleep) {
      return this.json(res, 503, { error: 'the engine is asleep' });
    }
    const request = JSON.parse(body);
    if (!request.stream) {
      return this.json(res, 200, {
        object: 'text_completion',
        promptLength: String(request.prompt).length,
      });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    });
    res.write('data: {"choices":[{"text":"first"}]}\n\n');
    await this.held;
    res.write('data: {"choices":[{"text":"second"}]}\n\n');
    return res.end('data: [DONE]\n\n');
  }
}
