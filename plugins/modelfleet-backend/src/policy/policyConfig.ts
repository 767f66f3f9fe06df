import { RootConfigService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/**
 * The app-config key all policies live under.
 *
 * @alpha
 */
export const POLICIES_KEY = 'modelfleet.policies';

function isValidCron(expr: string): boolean {
  try {
    CronExpressionParser.parse(expr);
    return expr.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

function isValidTimeZone(tz: string): boolean {
  try {
    return Boolean(new Intl.DateTimeFormat('en-US', { timeZone: tz }));
  } catch {
    return false;
  }
}

const mode = z.enum(['off', 'recommend', 'enforce']);
const cron = z.string().refine(isValidCron, v => ({
  message: `'${v}' is not a 5-field cron expression (minute hour day-of-month month day-of-week)`,
}));
const timezone = z.string().refine(isValidTimeZone, v => ({
  message: `'${v}' is not an IANA time zone (e.g. UTC, Europe/Berlin)`,
}));

const cronWindow = z
  .object({
    name: z.string().min(1),
    start: cron,
    end: cron,
    timezone: timezone.default('UTC'),
  })
  .strict();

const warmSchedule = cronWindow
  .extend({ minReplicas: z.number().int().min(0) })
  .strict();

/** One layer of policy: the defaults, or a team's overrides. */
export const policyLayerSchema = z
  .object({
    monthlyBudgetUsd: z.number().nonnegative(),
    allowedGpuTypes: z.array(z.string().min(1)).min(1),
    spot: z.enum(['forbid', 'allow', 'prefer']),
    maxOnDemandShare: z.number().min(0).max(1),
    hibernation: z
      .object({
        mode,
        idleMinutes: z.number().positive(),
        coldStartPenaltyMinutes: z.number().min(0).max(1440),
        sleepWakeSeconds: z.number().min(0.1).max(600),
        minWarmReplicas: z.number().int().min(0),
        schedules: z.array(warmSchedule),
      })
      .partial()
      .strict(),
    arbitrage: z
      .object({
        mode,
        minSavingsPercent: z.number().min(0).max(100),
        maxMigrationsPerDay: z.number().int().min(0),
        onDemandBaseReplicas: z.number().int().min(0),
        spreadAcrossClusters: z.boolean(),
      })
      .partial()
      .strict(),
    consolidation: z
      .object({
        maxDisruptedPods: z.number().int().min(0),
        maxDisruptedPercent: z.number().min(0).max(100),
      })
      .partial()
      .strict(),
    maintenanceWindows: z.array(cronWindow),
    dryRun: z.boolean(),
  })
  .partial()
  .strict();

/**
 * A layer of policy as written in app-config.
 *
 * @alpha
 */
export type PolicyLayer = z.infer<typeof policyLayerSchema>;

const policiesSchema = z
  .object({
    defaults: policyLayerSchema.optional(),
    teams: z.record(policyLayerSchema).optional(),
  })
  .strict();

/**
 * `modelfleet.policies` as written in app-config, validated.
 *
 * @alpha
 */
export type PolicyConfig = z.infer<typeof policiesSchema>;

const isObject = (v: unknown): v is object =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const invalid = (problems: string[]) =>
  new Error(
    `Invalid ModelFleet policy in app-config:\n  ${problems.join('\n  ')}`,
  );

/** The configs under `key`: its object, or the objects of its array. */
function childrenOf(config: Config, key: string, at: string) {
  let value;
  try {
    value = config.getOptional(key);
  } catch {
    return []; // a key the Config API cannot address (`a.b`)
  }
  if (isObject(value)) return [{ child: config.getConfig(key), at }];
  if (Array.isArray(value) && value.every(isObject)) {
    return config
      .getConfigArray(key)
      .map((child, i) => ({ child, at: `${at}[${i}]` }));
  }
  return [];
}

/**
 * The paths of the `__proto__` keys of the policies. Reading the config
 * (`config.getOptional`) makes such a key its object's prototype, so the
 * schema would take its children for the object's own fields (a team's
 * `dryRun: false` slipped in as `__proto__: { dryRun: false }`), or drops
 * it. The Config API still lists the key; where it cannot descend (a key
 * with a `.`), the value as read shows it by its prototype.
 */
function prototypeKeysOf(section: Config | undefined, raw: unknown): string[] {
  const found = new Set<string>();
  const walkConfig = (config: Config, path: string) => {
    for (const key of config.keys()) {
      const at = `${path}.${key}`;
      if (key === '__proto__') {
        found.add(at);
        continue;
      }
      for (const c of childrenOf(config, key, at)) walkConfig(c.child, c.at);
    }
  };
  const walkValue = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walkValue(item, `${path}[${i}]`));
    } else if (isObject(value)) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        found.add(`${path}.__proto__`);
      }
      for (const [k, item] of Object.entries(value)) {
        walkValue(item, `${path}.${k}`);
      }
    }
  };
  if (section) walkConfig(section, POLICIES_KEY);
  walkValue(raw, POLICIES_KEY);
  return [...found];
}

/**
 * Reads and validates `modelfleet.policies`. An invalid policy throws an
 * error that lists each problem with its full key path, so the backend stops
 * at start instead of running on rules nobody meant.
 *
 * @alpha
 */
export function readPolicyConfig(config: RootConfigService): PolicyConfig {
  const raw = config.getOptional(POLICIES_KEY) ?? {};
  const prototypeKeys = prototypeKeysOf(
    isObject(raw) ? config.getOptionalConfig(POLICIES_KEY) : undefined,
    raw,
  );
  if (prototypeKeys.length) {
    throw invalid(prototypeKeys.map(path => `${path}: unknown key`));
  }
  const parsed = policiesSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map(issue => {
        const path = [POLICIES_KEY, ...issue.path].join('.');
        return `${path}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}
