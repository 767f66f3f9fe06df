import { ModelSource } from '@modelfleet/plugin-modelfleet-common';
import { FETCH_IMAGES } from './constants';

type RegistrySource = Exclude<ModelSource, { kind: 'hf' }>;

/**
 * The init container that fetches weights from a registry or bucket into
 * the model cache. The source is validated (no credentials, no leading
 * `-`) and reaches the tools as an argument or, for the https download,
 * as the `MODEL_SOURCE` variable the fixed script passes to `curl --url`:
 * never as shell text.
 */
export function fetchInitContainer(options: {
  source: RegistrySource;
  localModelDir: string;
  /** The writable scratch directory (`/tmp`; Knative reserves it). */
  home?: string;
  securityContext: Record<string, unknown>;
  volumeMounts: Array<Record<string, unknown>>;
}): Record<string, any> {
  const { source, localModelDir } = options;
  const commands: Record<
    RegistrySource['kind'],
    { command: string[]; args: string[] }
  > = {
    s3: {
      command: ['aws'],
      args: ['s3', 'sync', '--only-show-errors', source.uri, localModelDir],
    },
    gs: {
      command: ['gcloud'],
      args: ['storage', 'rsync', '--recursive', source.uri, localModelDir],
    },
    oci: {
      command: ['oras'],
      args: [
        'pull',
        source.kind === 'oci' ? source.reference : source.uri,
        '--output',
        localModelDir,
      ],
    },
    https: {
      command: ['sh', '-ec'],
      args: [
        'if [ -f "$MODEL_DIR/.complete" ]; then exit 0; fi; mkdir -p "$MODEL_DIR"; curl -fsSL --retry 5 --url "$MODEL_SOURCE" | tar -xz -C "$MODEL_DIR"; touch "$MODEL_DIR/.complete"',
      ],
    },
  };
  return {
    name: 'fetch-model',
    image: FETCH_IMAGES[source.kind],
    imagePullPolicy: 'IfNotPresent',
    env: [
      { name: 'HOME', value: options.home ?? '/tmp' },
      { name: 'MODEL_SOURCE', value: source.uri },
      { name: 'MODEL_DIR', value: localModelDir },
    ],
    resources: {
      requests: { cpu: '1', memory: '1Gi' },
      limits: { memory: '2Gi' },
    },
    securityContext: options.securityContext,
    volumeMounts: options.volumeMounts,
    ...commands[source.kind],
  };
}
