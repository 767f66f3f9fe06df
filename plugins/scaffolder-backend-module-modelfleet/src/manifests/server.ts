import { InputError } from '@backstage/errors';
import { ResolvedRenderManifestsInput } from './input';
import {
  ENGINE_PORT_NAME,
  GRPC_PORT,
  HTTP_PORT,
  TRITON_METRICS_PORT,
} from './constants';

/** How the serving container runs, and what it needs beside it. */
export interface ServerSpec {
  command: string[];
  args: string[];
  ports: Array<Record<string, any>>;
  /** Environment of the serving container beside the caches'. */
  env: Array<Record<string, any>>;
  readyPath: string;
  livePath: string;
  /** The container port its probes call, by name. */
  probePort: string;
  metricsPortName: string;
  metricsPort: number;
  extraVolumes: Array<Record<string, any>>;
  extraMounts: Array<Record<string, any>>;
  /** Objects the Deployment needs, applied before it (Triton's model repository). */
  configMaps: Array<Record<string, any>>;
}

/**
 * The serving command of the model's runtime. The model reference (a
 * validated Hugging Face id or a local directory) is a value, never an
 * option: TGI gets `--model-id=<ref>`, vLLM its positional model tag,
 * which validation keeps from starting with `-`, and Triton a JSON file.
 * No user text reaches a shell.
 */
export function serverSpec(options: {
  v: ResolvedRenderManifestsInput;
  modelRef: string;
  /** Tensor-parallel degree. */
  tp: number;
  prequantized: boolean;
  meta: (name: string) => Record<string, unknown>;
}): ServerSpec {
  const { v, modelRef, tp, prequantized, meta } = options;
  const { name } = v;
  if (!/^[A-Za-z0-9_/]/.test(modelRef)) {
    // Validation refuses such sources; never let one become a flag.
    throw new InputError(
      'model.source: must start with a letter, a digit or "_"',
    );
  }
  const spec: ServerSpec = {
    command: [],
    args: [],
    ports: [{ name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' }],
    env: [],
    readyPath: '/health',
    livePath: '/health',
    probePort: 'http',
    metricsPortName: 'http',
    metricsPort: HTTP_PORT,
    extraVolumes: [],
    extraMounts: [],
    configMaps: [],
  };
  const vllmDtype = {
    fp32: 'float32',
    fp16: 'float16',
    bf16: 'bfloat16',
    fp8: 'auto',
    int8: 'auto',
    int4: 'auto',
  }[v.model.precision];
  const quantizeFp8 = v.model.precision === 'fp8' && !prequantized;

  if (v.model.runtime === 'vllm') {
    spec.command = ['vllm', 'serve'];
    // `vllm serve` refuses `--model`: the model tag is its positional
    // argument, first.
    spec.args = [
      modelRef,
      '--served-model-name',
      name,
      '--host',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--dtype',
      vllmDtype,
      '--tensor-parallel-size',
      String(tp),
      '--gpu-memory-utilization',
      '0.90',
      ...(quantizeFp8 ? ['--quantization', 'fp8'] : []),
    ];
    if (v.idleTier === 'sleep') {
      // Sleep mode (level 1 offloads the weights to host memory and frees
      // the GPU's); its HTTP API (/sleep, /wake_up, /is_sleeping) is a
      // development endpoint. vLLM keeps its port, named `engine`: the wake
      // gate takes the `http` name the Service targets, and probes, metrics
      // and ModelFleet's sleep calls reach vLLM directly.
      spec.args.push('--enable-sleep-mode');
      spec.env.push({ name: 'VLLM_SERVER_DEV_MODE', value: '1' });
      spec.ports = [
        { name: ENGINE_PORT_NAME, containerPort: HTTP_PORT, protocol: 'TCP' },
      ];
      spec.probePort = ENGINE_PORT_NAME;
      spec.metricsPortName = ENGINE_PORT_NAME;
    }
  } else if (v.model.runtime === 'tgi') {
    spec.command = ['text-generation-launcher'];
    const quantize = prequantized
      ? undefined
      : { fp8: 'fp8', int8: 'bitsandbytes', int4: 'bitsandbytes-nf4' }[
          v.model.precision as 'fp8' | 'int8' | 'int4'
        ];
    const dtype = { fp16: 'float16', bf16: 'bfloat16' }[
      v.model.precision as 'fp16' | 'bf16'
    ];
    spec.args = [
      `--model-id=${modelRef}`,
      '--hostname',
      '0.0.0.0',
      '--port',
      String(HTTP_PORT),
      '--num-shard',
      String(tp),
      ...(dtype ? ['--dtype', dtype] : []),
      ...(quantize ? ['--quantize', quantize] : []),
    ];
  } else {
    // Triton serves LLMs through its vLLM backend, from a model repository
    // rendered into a ConfigMap.
    spec.readyPath = '/v2/health/ready';
    spec.livePath = '/v2/health/live';
    spec.metricsPortName = 'metrics';
    spec.metricsPort = TRITON_METRICS_PORT;
    spec.ports.push(
      { name: 'grpc', containerPort: GRPC_PORT, protocol: 'TCP' },
      { name: 'metrics', containerPort: TRITON_METRICS_PORT, protocol: 'TCP' },
    );
    spec.command = ['tritonserver'];
    spec.args = [
      '--model-repository=/models/repository',
      `--http-port=${HTTP_PORT}`,
      `--grpc-port=${GRPC_PORT}`,
      `--metrics-port=${TRITON_METRICS_PORT}`,
      '--allow-metrics=true',
      '--allow-gpu-metrics=true',
    ];
    const modelJson = {
      model: modelRef,
      served_model_name: name,
      dtype: vllmDtype,
      tensor_parallel_size: tp,
      gpu_memory_utilization: 0.9,
      disable_log_requests: true,
      ...(quantizeFp8 ? { quantization: 'fp8' } : {}),
    };
    const repoName = `${name}-triton-repository`;
    spec.configMaps.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(repoName),
      data: {
        'config.pbtxt': `backend: "vllm"\ninstance_group [\n  {\n    count: 1\n    kind: KIND_MODEL\n  }\n]\n`,
        'model.json': `${JSON.stringify(modelJson, null, 2)}\n`,
      },
    });
    spec.extraVolumes.push({
      name: 'model-repository',
      configMap: {
        name: repoName,
        items: [
          { key: 'config.pbtxt', path: `${name}/config.pbtxt` },
          { key: 'model.json', path: `${name}/1/model.json` },
        ],
      },
    });
    spec.extraMounts.push({
      name: 'model-repository',
      mountPath: '/models/repository',
      readOnly: true,
    });
  }
  return spec;
}
