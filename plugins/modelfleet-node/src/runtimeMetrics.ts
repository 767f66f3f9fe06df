/** The Prometheus metric names the model serving runtimes (vLLM, TGI, Triton, a generic HTTP server) export. */

/**
 * The Prometheus metrics of each serving runtime that ModelFleet reads:
 *
 * - `load`: a gauge of the requests in hand (running or queued), which an
 *   autoscaler scales on;
 * - `requests`: the counter of requests served;
 * - `inputTokens`, `outputTokens`: the counters of prompt and generated
 *   tokens.
 *
 * A runtime without one of them leaves it out.
 *
 * @public
 */
export const RUNTIME_METRICS = {
  vllm: {
    load: 'vllm:num_requests_running',
    requests: 'vllm:request_success_total',
    inputTokens: 'vllm:prompt_tokens_total',
    outputTokens: 'vllm:generation_tokens_total',
  },
  tgi: {
    load: 'tgi_queue_size',
    requests: 'tgi_request_success',
    inputTokens: 'tgi_request_input_length_sum',
    outputTokens: 'tgi_request_generated_tokens_sum',
  },
  triton: {
    load: 'nv_inference_pending_request_count',
  },
  generic: {
    requests: 'http_requests_total',
  },
} as const;
