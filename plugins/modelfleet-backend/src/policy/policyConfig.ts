import { RootConfigService } from '@backstage/backend-plugin-api';
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/** The app-config key all policies live under. */
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
      })
      .partial()
      .strict(),
    maintenanceWindows: z.array(cronWindow),
    dryRun: z.boolean(),
  })
  .partial()
  .strict();

/** A layer of policy as written in app-config. */
export type PolicyLayer = z.infer<typeof policyLayerSchema>;

const policiesSchema = z
  .object({
    defaults: policyLayerSchema.optional(),
    teams: z.record(policyLayerSchema).optional(),
  })
  .strict();

/** `modelfleet.policies` as written in app-config, validated. */
export type PolicyConfig = z.infer<typeof policiesSchema>;

/**
 * Reads and validates `modelfleet.policies`. An invalid policy throws an
 * error that lists each problem with its full key path, so the backend stops
 * at start instead of running on rules nobody meant.
 */
export function readPolicyConfig(config: RootConfigService): PolicyConfig {
  const raw = config.getOptional(POLICIES_KEY) ?? {};
  const parsed = policiesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => {
      const path = [POLICIES_KEY, ...issue.path].join('.');
      return `${path}: ${issue.message}`;
    });
    throw new Error(
      `Invalid ModelFleet policy in app-config:\n  ${problems.join('\n  ')}`,
    );
  }
  return parsed.data;
}
