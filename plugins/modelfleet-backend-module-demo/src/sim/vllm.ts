import { KubeObject, MODEL_LABEL } from './objects';

/** The port `vllm serve` listens on without `--port`. */
export const VLLM_DEFAULT_PORT = 8000;

/** vLLM's `--gpu-memory-utilization` default: the share of each GPU it reserves. */
export const VLLM_DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

/** How a container runs vLLM's OpenAI-compatible server, read from its spec. */
export interface VllmServer {
  /** The container's name. */
  container: string;
  /** `--port`, 8000 by default. */
  port: number;
  /** `--enable-sleep-mode` (the last of it and `--no-enable-sleep-mode`). */
  sleepMode: boolean;
  /** `VLLM_SERVER_DEV_MODE` is a non-zero integer: the development routes (`/sleep`, …) exist. */
  devMode: boolean;
  /** The `model_name` of its metrics: `--served-model-name`, else the model. */
  modelName: string;
  /** `--gpu-memory-utilization`, 0.9 by default. */
  gpuMemoryUtilization: number;
}

/** The words a shell would run (`sh -c "…"`), split at white space. */
function commandLine(c: any): string[] {
  const words = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  const shell = /(^|\/)(ba|da|z)?sh$/.test(words[0] ?? '');
  const script = words.indexOf('-c');
  if (shell && script > 0 && words[script + 1] !== undefined)
    return words[script + 1].split(/\s+/).filter(Boolean);
  return words;
}

/**
 * Where the server's own arguments start, when the command line runs
 * vLLM's OpenAI server: `vllm serve …`, `python -m
 * vllm.entrypoints.openai.api_server …`, or the `vllm/vllm-openai` image's
 * entrypoint (no `command`) followed by `args`.
 */
function serverArgs(c: any): string[] | undefined {
  const words = commandLine(c);
  const serve = words.findIndex(
    (w, i) => /(^|\/)vllm$/.test(w) && words[i + 1] === 'serve',
  );
  if (serve >= 0) return words.slice(serve + 2);
  const module = words.indexOf('vllm.entrypoints.openai.api_server');
  if (module >= 0) return words.slice(module + 1);
  if (!c.command && /(^|\/)vllm-openai([:@]|$)/.test(String(c.image ?? '')))
    return (c.args ?? []).map(String);
  return undefined;
}

/** The values of an option (`--x v` or `--x=v`), the last one wins. */
function option(args: string[], name: string): string[] | undefined {
  let found: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) {
      const values: string[] = [];
      for (let j = i + 1; j < args.length && !args[j].startsWith('-'); j++)
        values.push(args[j]);
      found = values;
    } else if (args[i].startsWith(`${name}=`)) {
      found = [args[i].slice(name.length + 1)];
    }
  }
  return found;
}

/** vLLM reads `VLLM_SERVER_DEV_MODE` as `bool(int(value))`. */
function devModeOf(c: any): boolean {
  const env = (c.env ?? []).filter(
    (e: any) => e?.name === 'VLLM_SERVER_DEV_MODE',
  );
  const value = env[env.length - 1]?.value;
  return (
    typeof value === 'string' &&
    /^\s*[+-]?\d+\s*$/.test(value) &&
    Number(value) !== 0
  );
}

/**
 * The vLLM server a container of a pod runs, if it runs one. A pod's
 * engine can sleep (and has `/sleep`, `/wake_up`, `/is_sleeping`) when it
 * runs with `--enable-sleep-mode` and `VLLM_SERVER_DEV_MODE=1`, as
 * ModelFleet's sleep idle tier renders it.
 */
export function vllmServerOf(
  pod: KubeObject,
  container: any,
): VllmServer | undefined {
  const args = serverArgs(container);
  if (!args) return undefined;
  let sleepMode = false;
  for (const a of args) {
    if (a === '--enable-sleep-mode') sleepMode = true;
    if (a === '--no-enable-sleep-mode') sleepMode = false;
  }
  const port = Number(option(args, '--port')?.[0] ?? VLLM_DEFAULT_PORT);
  const utilization = Number(option(args, '--gpu-memory-utilization')?.[0]);
  const positional = args[0] && !args[0].startsWith('-') ? args[0] : undefined;
  const modelId = (container.env ?? []).find(
    (e: any) => e?.name === 'MODEL_ID',
  )?.value;
  const modelName =
    option(args, '--served-model-name')?.[0] ??
    option(args, '--model')?.[0] ??
    positional ??
    modelId ??
    pod.metadata?.labels?.[MODEL_LABEL] ??
    pod.metadata?.name ??
    '';
  return {
    container: String(container.name ?? ''),
    port: Number.isInteger(port) ? port : VLLM_DEFAULT_PORT,
    sleepMode,
    devMode: devModeOf(container),
    modelName,
    gpuMemoryUtilization:
      utilization > 0 && utilization <= 1
        ? utilization
        : VLLM_DEFAULT_GPU_MEMORY_UTILIZATION,
  };
}

/** Whether a container's process is running (the kubelet started it). */
export function containerRunning(pod: KubeObject, name: string): boolean {
  if (pod.status?.phase !== 'Running') return false;
  const status = (pod.status?.containerStatuses ?? []).find(
    (s: any) => s.name === name,
  );
  return !!status?.state?.running;
}

/** Whether a container is ready (its readiness probe passes). */
export function containerReady(pod: KubeObject, name: string): boolean {
  if (!containerRunning(pod, name)) return false;
  return !!(pod.status?.containerStatuses ?? []).find(
    (s: any) => s.name === name,
  )?.ready;
}
