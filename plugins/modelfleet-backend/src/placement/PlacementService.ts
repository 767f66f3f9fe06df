import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  estimateModelGpuMemory,
  formatUsd,
  ModelPrecision,
  PlacementExclusion,
  PlacementOption,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { FleetStateStore } from '../database/FleetStateStore';
import { PriceBookStore } from '../database/PriceBookStore';
import {
  HOURS_PER_MONTH,
  PlacementRequest,
  rejectionOf,
  unitsPerNode,
} from '../engines/placement';
import { PolicyService } from '../policy/PolicyService';
import { parsePlacementRequest } from './parseRequest';
import { explainBlocks } from './blocking';
import { placementCandidates } from './candidates';
import { PlacementRunner } from './PlacementWorker';

/**
 * Hours a month a model runs at its replicas, by traffic pattern: all of
 * them when always on; the default business-hours window (11 h a day, five
 * days a week) otherwise counts its share of the 730.
 */
const HOURS_BY_TRAFFIC = {
  'always-on': HOURS_PER_MONTH,
  'business-hours': Math.round((HOURS_PER_MONTH * 55) / 168),
  sporadic: HOURS_PER_MONTH,
} as const;

/** Settings of {@link PlacementService}. */
export interface PlacementServiceOptions {
  fleet: FleetStateStore;
  prices: PriceBookStore;
  policies: PolicyService;
  /** IDs of the price sources other than the bundled catalog. */
  liveSources: () => string[];
  /**
   * Runs the placement engine: a {@link PlacementWorker}, so that solves
   * run off the event loop.
   */
  placer: PlacementRunner;
  /** A team's forecast spend for the current month, USD; null when unknown. */
  teamForecast: (teamRef: string) => Promise<number | null>;
  /**
   * Nodes a pool may add when its maximum is not known (the Kubernetes API
   * does not expose autoscaler limits).
   */
  assumedAddableNodes: number;
  /** Whether a Group is in the catalog: an owner must be one that exists. */
  groupExists?: (groupRef: string) => Promise<boolean>;
  logger: LoggerService;
}

/**
 * Answers `POST /placement`: which pools can run a model, what each costs a
 * month at the requested replicas, and why every other pool cannot, under
 * the owner team's policy and budget.
 */
export class PlacementService {
  constructor(private readonly options: PlacementServiceOptions) {}

  async place(body: unknown): Promise<PlacementResponse> {
    const req = parsePlacementRequest(body);
    const { policies, fleet } = this.options;

    let effective;
    try {
      effective = policies.effective(req.owner);
    } catch (e) {
      throw new InputError((e as Error).message.replace(/^team:/, 'owner:'));
    }
    const { groupExists } = this.options;
    if (effective.team && groupExists && !(await groupExists(effective.team))) {
      throw new InputError(
        `owner: '${req.owner}' is not a Group in the catalog (${effective.team})`,
      );
    }
    const policy = effective.policy;
    const blocking: string[] = [];

    let memory: PlacementResponse['memory'];
    let memoryMiB = req.memoryMiB;
    if (memoryMiB === undefined) {
      memory = estimateModelGpuMemory({
        parametersBillions: req.parametersBillions!,
        precision: req.precision as ModelPrecision,
      });
      memoryMiB = Math.ceil(memory.totalGiB * 1024);
    }
    const gpusPerReplica = req.gpusPerReplica ?? 1;
    const traffic = req.traffic ?? 'always-on';
    const requestedSpot =
      req.spot ?? (policy.spot === 'forbid' ? 'forbid' : 'allow');
    let spot = requestedSpot;
    if (policy.spot === 'forbid') {
      if (spot === 'require') {
        blocking.push(
          `spot: the model asks for spot capacity only, but ${
            effective.team ?? 'the default'
          } policy forbids spot`,
        );
      }
      spot = 'forbid';
    }
    const allowed = policy.allowedGpuTypes;
    const wanted = req.gpuTypes?.length ? req.gpuTypes : null;
    const allowedGpuTypes =
      allowed && wanted
        ? wanted.filter(t => allowed.includes(t))
        : wanted ?? allowed ?? undefined;
    if (allowed && wanted && allowedGpuTypes!.length === 0) {
      blocking.push(
        `gpuTypes: none of ${wanted.join(
          ', ',
        )} is allowed by policy (allowed: ${allowed.join(', ')})`,
      );
    }

    const normalized = {
      ...req,
      memoryMiB,
      gpusPerReplica,
      // As asked; the policy's rule is in `policy.spot`.
      spot: requestedSpot,
      traffic,
    };
    const hours = HOURS_BY_TRAFFIC[traffic];
    const quoteReplicas = Math.max(req.replicas.min, 1);
    const base: Omit<PlacementRequest, 'replicas'> = {
      id: req.name,
      gpusPerReplica,
      memoryMiB,
      allowedGpuTypes,
      spot,
      regions: req.regions?.length ? req.regions : undefined,
      priority: req.priority,
    };

    const teamRef = effective.team;
    const teamForecast = teamRef
      ? await this.options.teamForecast(teamRef).catch(e => {
          this.options.logger.warn(
            `Placement: no spend forecast for ${teamRef}: ${e}`,
          );
          return null;
        })
      : null;

    const statuses = await fleet.listPools();
    const candidates = await placementCandidates(statuses, this.options);
    const { placer } = this.options;

    const options: Array<Omit<PlacementOption, 'rank'>> = [];
    const excluded: PlacementExclusion[] = [];
    let method: PlacementResponse['method'] = 'exact';
    /** The least a pool over the model's own budget charges a month. */
    let overBudgetUsd = Infinity;
    for (const c of candidates) {
      const exclude = (code: PlacementExclusion['code'], reason: string) =>
        excluded.push({ ...c.summary, code, reason });
      if (c.stale) {
        exclude(
          'no-capacity',
          `the cluster ${c.summary.cluster} could not be read at its last sync`,
        );
        continue;
      }
      const rejection = rejectionOf(
        { ...base, replicas: quoteReplicas },
        c.pool,
      );
      if (rejection) {
        exclude(
          rejection.code,
          rejection.code === 'no-capacity'
            ? `${rejection.reason} (${c.capacitySource})`
            : rejection.reason,
        );
        continue;
      }
      const at = (replicas: number) =>
        placer.place([{ ...base, replicas }], [c.pool]);
      const [atQuote, atMax] = await Promise.all([
        at(quoteReplicas),
        at(req.replicas.max),
      ]);
      if (atQuote.method === 'heuristic') method = 'heuristic';
      const unplaced = atQuote.decisions[0].unplaced;
      if (unplaced > 0) {
        exclude(
          'no-capacity',
          `holds ${
            quoteReplicas - unplaced
          } of the ${quoteReplicas} replicas (${
            c.pool.freeUnits
          } free GPU units, ${c.pool.addableNodes} more nodes at most; ${
            c.capacitySource
          })`,
        );
        continue;
      }
      const scale = hours / HOURS_PER_MONTH;
      const monthlyUsd = atQuote.monthlyUsd * scale;
      const monthlyUsdAtMax = atMax.monthlyUsd * scale;
      const unitUsdPerHour = c.pool.usdPerNodeHour! / unitsPerNode(c.pool);
      const charged = (replicas: number) =>
        replicas * gpusPerReplica * unitUsdPerHour * hours;
      const chargedMonthlyUsd = charged(quoteReplicas);
      const replicasPerNode = Math.floor(unitsPerNode(c.pool) / gpusPerReplica);
      if (
        req.monthlyBudgetUsd !== undefined &&
        chargedMonthlyUsd > req.monthlyBudgetUsd
      ) {
        exclude(
          'budget',
          `${formatUsd(
            chargedMonthlyUsd,
          )} a month, over the model's budget (monthlyBudgetUsd) of ${formatUsd(
            req.monthlyBudgetUsd,
          )}`,
        );
        overBudgetUsd = Math.min(overBudgetUsd, chargedMonthlyUsd);
        continue;
      }
      if (
        policy.monthlyBudgetUsd !== null &&
        teamForecast !== null &&
        teamForecast + chargedMonthlyUsd > policy.monthlyBudgetUsd
      ) {
        exclude(
          'budget',
          `${formatUsd(
            chargedMonthlyUsd,
          )} a month would bring ${teamRef}'s forecast to ${formatUsd(
            teamForecast + chargedMonthlyUsd,
          )}, over its monthly budget of ${formatUsd(policy.monthlyBudgetUsd)}`,
        );
        continue;
      }
      options.push({
        ...c.summary,
        replicasPerNode,
        usdPerNodeHour: c.pool.usdPerNodeHour!,
        priceSource: c.priceSource,
        monthlyUsd: round2(monthlyUsd),
        monthlyUsdAtMax: round2(monthlyUsdAtMax),
        chargedMonthlyUsd: round2(chargedMonthlyUsd),
        chargedMonthlyUsdAtMax: round2(charged(req.replicas.max)),
        capacity: {
          freeUnits: c.pool.freeUnits,
          addableNodes: c.pool.addableNodes,
          source: c.capacitySource,
        },
        scheduling: c.scheduling,
        violations: [],
      });
    }
    options.sort(
      (a, b) =>
        a.monthlyUsd - b.monthlyUsd ||
        a.chargedMonthlyUsd - b.chargedMonthlyUsd ||
        a.ref.localeCompare(b.ref),
    );
    const ranked: PlacementOption[] = options.map((o, i) => ({
      ...o,
      rank: i + 1,
    }));
    excluded.sort(
      (a, b) => a.code.localeCompare(b.code) || a.ref.localeCompare(b.ref),
    );

    const picked = explainBlocks({
      req,
      quoteReplicas,
      ranked,
      excluded,
      overBudgetUsd,
      blocking,
    });
    return {
      request: normalized,
      ...(memory ? { memory } : {}),
      policy: {
        team: teamRef,
        allowedGpuTypes: policy.allowedGpuTypes,
        spot: policy.spot,
        monthlyBudgetUsd: policy.monthlyBudgetUsd,
        teamForecastThisMonthUsd:
          teamForecast === null ? null : round2(teamForecast),
      },
      options: ranked,
      excluded,
      recommended: ranked[0]?.ref ?? null,
      ...(picked ? { picked } : {}),
      blocking,
      method,
      hoursPerMonth: hours,
    };
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
