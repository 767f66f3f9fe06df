import type { EngineRegistry } from './engines';
import { StoredObject } from './objects';
import { PodHttpRequest, PodHttpResponse } from './podProxy';
import { VllmServer } from './vllm';

const json = (status: number, body: unknown): PodHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  // Starlette's JSONResponse: compact separators.
  body: JSON.stringify(body),
});

/** FastAPI's answer to a path no route has. */
const notFound = () => json(404, { detail: 'Not Found' });

/** vLLM's `Response(status_code=200)`: no body, no content type. */
const ok = (): PodHttpResponse => ({ status: 200 });

/** An exception in a route: Starlette's plain answer. */
const internalError = (): PodHttpResponse => ({
  status: 500,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: 'Internal Server Error',
});

const SLEEP_STATE_HELP =
  'Engine sleep state; awake = 0 means engine is sleeping; awake = 1 means engine is awake; weights_offloaded = 1 means sleep level 1; discard_all = 1 means sleep level 2.';

const escapeLabel = (v: string) =>
  v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The `vllm:engine_sleep_state` gauge as vLLM's Prometheus logger exports
 * it (labels `model_name`, `engine`, `sleep_state`; 1 for the current
 * state, 0 for the others; awake 0 and both others 0 at a level other than
 * 1 or 2).
 */
export function sleepStateMetric(
  modelName: string,
  state: { sleeping: boolean; level?: number },
): string {
  const values: Record<string, number> = {
    awake: state.sleeping ? 0 : 1,
    weights_offloaded: state.sleeping && state.level === 1 ? 1 : 0,
    discard_all: state.sleeping && state.level === 2 ? 1 : 0,
  };
  const name = escapeLabel(modelName);
  return [
    `# HELP vllm:engine_sleep_state ${SLEEP_STATE_HELP}`,
    '# TYPE vllm:engine_sleep_state gauge',
    ...Object.entries(values).map(
      ([s, v]) =>
        `vllm:engine_sleep_state{model_name="${name}",engine="0",sleep_state="${s}"} ${v.toFixed(
          1,
        )}`,
    ),
    '',
  ].join('\n');
}

/**
 * What vLLM's OpenAI server (FastAPI) answers, of the routes the
 * simulation has: `GET /health`; `GET /metrics` (the sleep state gauge);
 * and, for a server started with `--enable-sleep-mode` and
 * `VLLM_SERVER_DEV_MODE=1`, `POST /sleep?level=1|2` (nothing when it
 * sleeps already), `POST /wake_up[?tags=weights|kv_cache]` (answers once
 * awake, after the wake time in simulated time) and `GET /is_sleeping`
 * (`{"is_sleeping":true|false}`). Any other path: 404
 * `{"detail":"Not Found"}`; a route's path with another method: 405.
 */
export async function serveVllm(
  engines: EngineRegistry,
  pod: StoredObject,
  server: VllmServer,
  req: PodHttpRequest,
): Promise<PodHttpResponse> {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const routes: Record<string, string> = {
    '/health': 'GET',
    '/metrics': 'GET',
    ...(server.devMode && server.sleepMode
      ? { '/sleep': 'POST', '/wake_up': 'POST', '/is_sleeping': 'GET' }
      : {}),
  };
  const path = req.path.replace(/^\/metrics\/$/, '/metrics');
  const allowed = routes[path];
  if (!allowed) return notFound();
  if (allowed !== method) {
    return {
      ...json(405, { detail: 'Method Not Allowed' }),
      headers: { 'content-type': 'application/json', allow: allowed },
    };
  }
  switch (path) {
    case '/health':
      return ok();
    case '/metrics':
      return {
        status: 200,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: sleepStateMetric(server.modelName, engines.sleepState(pod)),
      };
    case '/sleep': {
      // vLLM: int(request.query_params.get("level", "1")).
      const level = req.query.get('level') ?? '1';
      if (!/^\s*[+-]?\d+\s*$/.test(level)) return internalError();
      await engines.sleep(pod, Number(level));
      return ok();
    }
    case '/wake_up': {
      const tags = req.query.getAll('tags');
      await engines.wakeUp(pod, tags.length > 0 ? tags : undefined);
      return ok();
    }
    case '/is_sleeping':
      return json(200, { is_sleeping: await engines.isSleeping(pod) });
    default:
      return notFound();
  }
}
