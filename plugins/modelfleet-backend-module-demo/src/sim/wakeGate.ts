import { WAKE_GATE_WAKES_PATH } from '@modelfleet/plugin-modelfleet-node';
import type { EngineRegistry } from './engines';
import { serveVllm } from './engineServer';
import { KubeObject, StoredObject } from './objects';
import { PodHttpRequest, PodHttpResponse } from './podProxy';
import { containerReady, VllmServer } from './vllm';

/** The image of the wake gate the template renders (OpenResty). */
export const WAKE_GATE_IMAGE = 'openresty/openresty:1.27.1.2-0-alpine';
/** The gate's port, named `http`: what the model's Service targets. */
export const WAKE_GATE_PORT = 8080;
/** The gate's own health path. */
export const WAKE_GATE_HEALTH_PATH = '/wake-gate/healthz';

/** Whether a container of a pod is a wake gate (an OpenResty sidecar). */
export function isWakeGate(container: KubeObject): boolean {
  return (
    typeof container.image === 'string' &&
    container.image.startsWith('openresty/openresty:')
  );
}

/** vLLM's development endpoints, which the gate refuses on its port. */
const DEV_ENDPOINTS =
  /^\/(sleep|wake_up|is_sleeping|collective_rpc|reset_prefix_cache|reset_mm_cache|reset_encoder_cache|server_info|pause|resume|is_paused|update_weights|init_weight_transfer_engine|scale_elastic_ep|is_scaling_elastic_ep)(\/|$)/;

/** What needs the engine's GPU memory, so waits for a wake. */
const isInference = (path: string) =>
  (path.startsWith('/v1/') && path !== '/v1/models') ||
  path.startsWith('/v2/') ||
  /^\/(invocations|pooling|classify|score|rerank)$/.test(path);

const json = (status: number, body: unknown): PodHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * What the wake gate the template renders answers on its port (the
 * nginx.conf of `modelfleet:manifests:render`): its health; the wakes it
 * made ({@link WAKE_GATE_WAKES_PATH}, the last 100, oldest first); a 403
 * for vLLM's development endpoints; an inference request waits for the
 * engine to wake (one wake for the requests meanwhile) and goes on to it;
 * anything else goes straight to the engine. 502 while the engine does
 * not listen.
 */
export async function serveWakeGate(
  engines: EngineRegistry,
  pod: StoredObject,
  engine: VllmServer | undefined,
  req: PodHttpRequest,
): Promise<PodHttpResponse> {
  if (req.path === WAKE_GATE_HEALTH_PATH) {
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'ok\n',
    };
  }
  if (req.path === WAKE_GATE_WAKES_PATH) {
    const wakes = engines.gateWakes(pod).map(w => ({
      startedAt: new Date(w.startedAt).toISOString(),
      seconds: Math.round(w.ms) / 1000,
    }));
    return {
      ...json(200, { wakes }),
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      },
    };
  }
  if (DEV_ENDPOINTS.test(req.path)) {
    return json(403, {
      error: {
        message: 'not served through the wake gate',
        type: 'PermissionDeniedError',
        code: 403,
      },
    });
  }
  if (!engine || !containerReady(pod, engine.container)) {
    return {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>502 Bad Gateway</title></head></html>\n',
    };
  }
  if (isInference(req.path)) await engines.wakeForRequest(pod);
  return serveVllm(engines, pod, engine, req);
}
