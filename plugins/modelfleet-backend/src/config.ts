import {
  RootConfigService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { IdleCostPolicy } from '@modelfleet/plugin-modelfleet-common';
import {
  DEFAULT_BILLS_SCHEDULE,
  DEFAULT_CLUSTER_SYNC_SCHEDULE,
  DEFAULT_HOUSEKEEPING_SCHEDULE,
  DEFAULT_PRICE_REFRESH_SCHEDULE,
  DEFAULT_SHOWBACK_SCHEDULE,
} from './configDefaults';
import {
  readActionsConfig,
  readArbitrageConfig,
  readHibernationConfig,
} from './configLoops';
import {
  atKey,
  frequencySeconds,
  readSchedule,
  readWholeNumber,
} from './configReaders';

/**
 * The parts of `modelfleet:` in app-config the backend reads, with defaults
 * applied.
 *
 * @internal
 */
export interface ModelFleetBackendConfig {
  clusterSync: { schedule: SchedulerServiceTaskScheduleDefinition };
  priceRefresh: { schedule: SchedulerServiceTaskScheduleDefinition };
  housekeeping: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    retention: HumanDuration;
    abandonAfter: HumanDuration;
  };
  showback: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    idleCostPolicy: IdleCostPolicy;
    platformTeamRef?: string;
    backfillDays: number;
    rerollDays: number;
    sampleRetentionDays: number;
    /** Seconds one cluster-sync sample stands for. */
    sampleSeconds: number;
  };
  bills: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    windowDays: number;
  };
  placement: {
    assumedAddableNodes: number;
  };
  actions: {
    /** Whether this replica runs the action loop. */
    runner: boolean;
    /** How long a claim on an action lasts without renewal. */
    leaseMs: number;
    /** Time between two looks for runnable actions, and between two looks at a step that waits. */
    pollMs: number;
    /** Tries of one step before it fails for good. */
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
  };
  hibernation: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    historyHours: number;
    stepSeconds: number;
    defaultLoadSeconds: number;
  };
  arbitrage: {
    /** The arbitrage loop. */
    schedule: SchedulerServiceTaskScheduleDefinition;
    provisioningSeconds: number;
    drainSeconds: number;
    paybackHorizonHours: number;
    /** 0–1 */
    minAvailability: number;
    /** The spot fallback loop. */
    spotFallback: {
      schedule: SchedulerServiceTaskScheduleDefinition;
      launchTimeoutSeconds: number;
    };
    /** The pool history loop, and what the bundled traces' prior weighs. */
    poolHistory: {
      schedule: SchedulerServiceTaskScheduleDefinition;
      priorNodeHours: number;
    };
  };
}

const IDLE_POLICIES: IdleCostPolicy[] = [
  'not-shared',
  'shared-proportionally',
  'platform-team',
];

/**
 * Reads and validates the backend's config. Throws an error naming the key
 * path, so a bad config stops the backend at start.
 *
 * @internal
 */
export function readModelFleetBackendConfig(
  config: RootConfigService,
): ModelFleetBackendConfig {
  const hk = config.getOptionalConfig('modelfleet.housekeeping');
  const retention = hk?.has('retention')
    ? atKey('modelfleet.housekeeping.retention', () =>
        readDurationFromConfig(hk, { key: 'retention' }),
      )
    : { days: 30 };
  const clusterSyncSchedule = readSchedule(
    config,
    'modelfleet.clusterSync',
    DEFAULT_CLUSTER_SYNC_SCHEDULE,
  );
  const idleCostPolicy = (config.getOptionalString(
    'modelfleet.showback.idleCostPolicy',
  ) ?? 'shared-proportionally') as IdleCostPolicy;
  if (!IDLE_POLICIES.includes(idleCostPolicy)) {
    throw new Error(
      `Invalid app-config at modelfleet.showback.idleCostPolicy: must be one of ${IDLE_POLICIES.join(
        ', ',
      )}, got '${idleCostPolicy}'`,
    );
  }
  const platformTeam = config.getOptionalString(
    'modelfleet.showback.platformTeam',
  );
  let platformTeamRef: string | undefined;
  if (platformTeam) {
    platformTeamRef = atKey('modelfleet.showback.platformTeam', () =>
      stringifyEntityRef(
        parseEntityRef(platformTeam, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US'),
    );
  }
  if (idleCostPolicy === 'platform-team' && !platformTeamRef) {
    throw new Error(
      "Invalid app-config at modelfleet.showback.platformTeam: idleCostPolicy 'platform-team' needs the Group that pays idle cost",
    );
  }
  return {
    clusterSync: { schedule: clusterSyncSchedule },
    showback: {
      schedule: readSchedule(
        config,
        'modelfleet.showback',
        DEFAULT_SHOWBACK_SCHEDULE,
      ),
      idleCostPolicy,
      platformTeamRef,
      backfillDays: readWholeNumber(
        config,
        'modelfleet.showback.backfillDays',
        0,
        0,
        400,
      ),
      rerollDays: readWholeNumber(
        config,
        'modelfleet.showback.rerollDays',
        2,
        0,
        60,
      ),
      sampleRetentionDays: readWholeNumber(
        config,
        'modelfleet.showback.sampleRetentionDays',
        45,
        3,
        3650,
      ),
      sampleSeconds: Math.min(3600, frequencySeconds(clusterSyncSchedule)),
    },
    bills: {
      schedule: readSchedule(
        config,
        'modelfleet.bills',
        DEFAULT_BILLS_SCHEDULE,
      ),
      windowDays: readWholeNumber(
        config,
        'modelfleet.bills.windowDays',
        35,
        1,
        400,
      ),
    },
    placement: {
      assumedAddableNodes: readWholeNumber(
        config,
        'modelfleet.placement.assumedAddableNodes',
        4,
        0,
        10000,
      ),
    },
    actions: readActionsConfig(config),
    hibernation: readHibernationConfig(config),
    arbitrage: readArbitrageConfig(config),
    priceRefresh: {
      schedule: readSchedule(
        config,
        'modelfleet.prices',
        DEFAULT_PRICE_REFRESH_SCHEDULE,
      ),
    },
    housekeeping: {
      schedule: readSchedule(
        config,
        'modelfleet.housekeeping',
        DEFAULT_HOUSEKEEPING_SCHEDULE,
      ),
      retention,
      abandonAfter: { days: 1 },
    },
  };
}
