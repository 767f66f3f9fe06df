/*
 * The scaffolder actions, run in-process as the scaffolder runs a dry-run
 * step: the input goes through JSON (as the scaffolder renders it), is
 * checked against the action's JSON schema (the scaffolder's own check,
 * with its message), then the handler runs with `isDryRun`. The actions
 * that call the ModelFleet backend (placement, deploy) call the running
 * portal as the guest user.
 */
import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { LocalGitRepositories } from '@modelfleet/plugin-modelfleet-node';
import {
  createDeployAction,
  createEstimateMemoryAction,
  createPlacementClient,
  createPublishLocalAction,
  createRecommendPlacementAction,
  createRegisterLocalAction,
  createRenderManifestsAction,
} from '@modelfleet/plugin-scaffolder-backend-module-modelfleet';
import { validate as validateJsonSchema } from 'jsonschema';
import fs from 'node:fs';
import path from 'node:path';
import { SECRET } from './hostile';
import { applyToValue, Mutation } from './mutate';
import { fileCatalog } from './fileCatalog';
import { inputPlaces, judgeThrown } from './inprocess';
import { Outcome } from './outcome';
import { describeMutation, Target } from './runner';
import * as bases from './scaffolderInputs';

/** The part of a template action the fuzzer uses. */
interface Action {
  id: string;
  schema?: { input?: any };
  handler(ctx: any): Promise<void>;
}

const VALIDATION_ERRORS = [
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
];

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
};

/** A dry-run step's context, as the scaffolder gives it to a handler. */
function context(input: unknown, workspacePath: string) {
  const outputs: Record<string, unknown> = {};
  return {
    outputs,
    ctx: {
      input,
      logger: silent,
      workspacePath,
      isDryRun: true,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      createTemporaryDirectory: async () =>
        fs.promises.mkdtemp(path.join(workspacePath, '..', 'tmp-')),
      checkpoint: async (opts: { fn: () => unknown }) => opts.fn(),
      getInitiatorCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/guest' },
      }),
      task: { id: 'fuzz-task' },
      step: { id: 'fuzz-step', name: 'fuzz' },
      user: { ref: 'user:default/guest' },
      signal: new AbortController().signal,
    },
  };
}

/** Runs one input through the scaffolder's schema check and the handler. */
async function runAction(
  action: Action,
  input: unknown,
  workspacePath: string,
) {
  // The scaffolder renders a step's input through JSON.
  const rendered = JSON.parse(JSON.stringify(input));
  if (action.schema?.input) {
    const result = validateJsonSchema(rendered, action.schema.input);
    if (!result.valid) {
      throw new InputError(
        `Invalid input passed to action ${action.id}, ${result.errors.join(
          ', ',
        )}`,
      );
    }
  }
  const { ctx, outputs } = context(rendered, workspacePath);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      action.handler(ctx),
      new Promise((_r, reject) => {
        timer = setTimeout(
          () => reject(new Error('the handler did not end within 30 s')),
          30_000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  return outputs;
}

/** Strings that reach a container's command line or environment. */
export function commandStrings(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) x.forEach(item => commandStrings(item, out));
  else if (x && typeof x === 'object') {
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'command' || k === 'args') && Array.isArray(v)) {
        out.push(...v.filter((s): s is string => typeof s === 'string'));
      } else if (k === 'env' && Array.isArray(v)) {
        out.push(
          ...v
            .map((e: any) => e?.value)
            .filter((s): s is string => typeof s === 'string'),
        );
      } else commandStrings(v, out);
    }
  }
  return out;
}

/**
 * Whether an accepted render let a hostile value through where it does
 * harm: a credential of the model source copied into the manifests, an
 * option-like value or a `..` segment on a container's command line or in
 * its environment.
 */
export function renderHarm(
  m: Mutation,
  outputs: unknown,
  baseline: Set<string>,
): string | undefined {
  if (m.kind !== 'value' || typeof m.hostile.value !== 'string')
    return undefined;
  const value = m.hostile.value;
  const isSource = m.place.path.join('.') === 'model.source';
  if (
    m.cls === 'credentials' &&
    isSource &&
    JSON.stringify(outputs).includes(SECRET)
  ) {
    return 'a credential in model.source is copied into the rendered manifests';
  }
  const fresh = commandStrings((outputs as any)?.manifests).filter(
    s => !baseline.has(s),
  );
  if (m.cls === 'option-like') {
    const opt = fresh.find(s => /^-/.test(s) && value.includes(s));
    if (opt) return `option-like '${opt}' reaches a container's command line`;
  }
  if (m.cls === 'path-traversal') {
    const dots = fresh.find(s => /(^|[/\\=:])\.\.([/\\]|$)/.test(s));
    if (dots)
      return `'${dots}' (a '..' segment) reaches a container's command line or environment`;
  }
  return undefined;
}

/** Where the in-process actions run, and what the portal-calling ones call. */
export interface ScaffolderSettings {
  /** Scratch directory: `workspace/` and `gitops/` inside; nothing else may appear. */
  scratch: string;
  /** Entity files the actions' catalog answers from. */
  catalogDir: string;
  portalBase: string;
  userToken: () => string;
  /** Random inputs and the cap of canonical ones per class, by action id. */
  runs: Record<string, [number, number]>;
}

function target(
  action: Action,
  base: Record<string, unknown>,
  s: ScaffolderSettings,
  harm?: (m: Mutation, outputs: unknown) => string | undefined,
): Target {
  const id = `action ${action.id}`;
  const workspace = path.join(s.scratch, 'workspace');
  return {
    id,
    surface: 'scaffolder',
    ...inputPlaces(base),
    badBody: false,
    runs: s.runs[action.id]?.[0] ?? 20,
    exampleCap: s.runs[action.id]?.[1] ?? 40,
    describe: m => `${id}: ${describeMutation(m)}`,
    async run(m) {
      let outputs: unknown;
      try {
        outputs = await runAction(action, applyToValue(base, m), workspace);
      } catch (e) {
        return judgeThrown(e, err => VALIDATION_ERRORS.includes(err.name), m);
      }
      const unsafe = harm?.(m, outputs);
      return { verdict: 'accepted', ...(unsafe ? { unsafe } : {}) } as Outcome;
    },
  };
}

/**
 * The actions, each with its known-good input. An action whose known-good
 * input fails is not fuzzed, and is listed in `failures`.
 */
export async function scaffolderTargets(s: ScaffolderSettings): Promise<{
  offline: Target[];
  online: () => Promise<Target[]>;
  renderedManifests?: Array<Record<string, any>>;
  failures: string[];
}> {
  const workspace = path.join(s.scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const discovery = {
    getBaseUrl: async (pluginId: string) => `${s.portalBase}/api/${pluginId}`,
    getExternalBaseUrl: async (pluginId: string) =>
      `${s.portalBase}/api/${pluginId}`,
  } as unknown as DiscoveryService;
  const auth = {
    getPluginRequestToken: async () => ({ token: s.userToken() }),
  } as unknown as AuthService;
  // Every service any action asks for; each takes what it needs.
  const services: any = {
    catalog: fileCatalog(s.catalogDir),
    discovery,
    auth,
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    },
    events: { publish: async () => {}, subscribe: async () => {} },
    repos: new LocalGitRepositories(path.join(s.scratch, 'gitops')),
    client: createPlacementClient({ discovery, auth }),
    pollIntervalMs: 200,
  };
  // The factories' options differ (and change); each gets all services.
  const create = (factory: (options: any) => unknown) =>
    factory(services) as Action;
  const failures: string[] = [];
  const render = create(createRenderManifestsAction);
  const rendered = await runAction(render, bases.renderInput, workspace).catch(
    e => {
      failures.push(`${render.id}: ${e}`);
      return undefined;
    },
  );
  const baseline = new Set(commandStrings(rendered?.manifests));
  type Entry = [
    Action,
    Record<string, unknown> | undefined,
    typeof renderHarm?,
  ];
  const make = async (list: Entry[]) => {
    const out: Target[] = [];
    for (const [action, base, harm] of list) {
      if (!base) {
        failures.push(
          `${action.id}: no known-good input (it needs the render's manifests)`,
        );
        continue;
      }
      const ok = await runAction(action, base, workspace).then(
        () => true,
        e => {
          failures.push(`${action.id}: ${e}`);
          return false;
        },
      );
      if (ok)
        out.push(
          target(action, base, s, harm && ((m, o) => harm(m, o, baseline))),
        );
    }
    return out;
  };
  const manifests = (
    rendered?.manifests as Array<Record<string, any>> | undefined
  )?.filter(o => ['Deployment', 'Service'].includes(o.kind));
  return {
    offline: await make([
      [create(createEstimateMemoryAction), bases.estimateInput],
      ...(rendered ? [[render, bases.renderInput, renderHarm] as Entry] : []),
      [create(createPublishLocalAction), bases.publishInput],
      [create(createRegisterLocalAction), bases.registerInput],
    ]),
    online: () =>
      make([
        [create(createRecommendPlacementAction), bases.placementInput],
        [create(createDeployAction), manifests && bases.deployInput(manifests)],
      ]),
    renderedManifests: manifests,
    failures,
  };
}
