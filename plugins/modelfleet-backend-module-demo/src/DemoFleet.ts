import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import {
  DEMO_CLUSTERS,
  DEMO_MODELS,
  DEMO_POOLS,
  DemoCluster,
  DemoModel,
  DemoPool,
} from './definition';
import { TraceReplay, seedOf } from './replay';
import {
  batchTrace,
  parseAlibabaGenAiTrace,
  parseAzureLlmTrace,
  Trace,
} from './traces';

/** The fleet definition and the traffic of each model. */
export interface DemoFleet {
  clusters: DemoCluster[];
  pools: DemoPool[];
  models: DemoModel[];
  /** Replay of each model's traffic, by model id (deployed models only). */
  traffic: Map<string, TraceReplay>;
}

const dataDir = () =>
  resolvePackagePath(
    '@modelfleet/plugin-modelfleet-backend-module-demo',
    'data',
  );

/** Reads the bundled traces. */
export function loadTraces(dir: string = dataDir()) {
  const read = (p: string) => fs.readFileSync(`${dir}/${p}`, 'utf8');
  return {
    'azure-conv': parseAzureLlmTrace(
      read('azure-llm-2023/AzureLLMInferenceTrace_conv.csv'),
    ),
    'azure-code': parseAzureLlmTrace(
      read('azure-llm-2023/AzureLLMInferenceTrace_code.csv'),
    ),
    'alibaba-gentd26': parseAlibabaGenAiTrace(
      read('alibaba-gentd26/lora_request_trace.first-half.csv'),
    ),
  };
}

/** Builds the demo fleet on the given traces. */
export function createDemoFleet(
  traces: ReturnType<typeof loadTraces>,
): DemoFleet {
  const traffic = new Map<string, TraceReplay>();
  for (const model of DEMO_MODELS) {
    const t = model.traffic;
    if (!t || !model.deployment) continue;
    let trace: Trace | undefined;
    let share = 1;
    if (t.trace === 'alibaba-gentd26') {
      trace = traces['alibaba-gentd26'].get(t.baseModel);
      if (!trace)
        throw new Error(
          `demo model ${model.id}: base model ${t.baseModel} is not in the trace`,
        );
    } else if (t.trace === 'batch') {
      trace = batchTrace(t);
    } else {
      trace = traces[t.trace];
      share = t.share;
    }
    traffic.set(
      model.id,
      new TraceReplay(trace, {
        share,
        offsetSeconds: t.offsetSeconds,
        seed: seedOf(model.id),
      }),
    );
  }
  return {
    clusters: DEMO_CLUSTERS,
    pools: DEMO_POOLS,
    models: DEMO_MODELS,
    traffic,
  };
}
