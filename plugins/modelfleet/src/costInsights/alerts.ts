/** The Cost Insights alerts of a group: its budget at risk or over, and the cost anomalies of the group and its models. */
import { Project } from '@backstage/plugin-cost-insights-common';
import { CostAnomaly } from '@modelfleet/plugin-modelfleet-common';
import { ModelFleetApi } from '../api';
import { formatUsd } from '../components/CostCommon/format';
import { costRef, parseRef, refKey } from './refs';
import { ModelFleetCostAlert } from './types';

const ANOMALY_KINDS: Record<CostAnomaly['scope'], string> = {
  model: 'model',
  pool: 'gpupool',
  team: 'group',
  fleet: 'fleet',
};

/**
 * Action items of a group: its monthly budget when at risk or over, and
 * the cost anomalies of the group and of the models it owns (the projects
 * `groupProjects` gives).
 */
export async function groupAlerts(
  modelfleetApi: ModelFleetApi,
  group: string,
  groupProjects: (group: string) => Promise<Project[]>,
): Promise<ModelFleetCostAlert[]> {
  const ref = parseRef(group, 'group', 'group');
  const groupKey = refKey(ref);
  const [report, anomalies, projects] = await Promise.all([
    modelfleetApi.getEntityCost(costRef(ref)),
    modelfleetApi.getCostAnomalies(),
    groupProjects(group),
  ]);
  const alerts: ModelFleetCostAlert[] = [];
  const budget = report.budget;
  if (budget && budget.status !== 'ok') {
    alerts.push({
      title:
        budget.status === 'over'
          ? `Over the GPU budget for ${budget.month}`
          : `The GPU budget for ${budget.month} is at risk`,
      subtitle: `${formatUsd(budget.monthToDateUsd)} of ${formatUsd(
        budget.monthlyBudgetUsd,
      )} spent so far; the month-end forecast is ${formatUsd(
        budget.forecastUsd,
      )}.`,
    });
  }
  const models = new Set(
    projects.map(p => refKey(parseRef(p.id, 'project', 'model'))),
  );
  // An anomaly whose refs do not parse belongs to no group.
  const keyOf = (entityRef: string, kind: string) => {
    try {
      return refKey(parseRef(entityRef, 'entityRef', kind));
    } catch {
      return undefined;
    }
  };
  const mine = (a: CostAnomaly) => {
    if (a.team && keyOf(a.team, 'group') === groupKey) return true;
    if (a.scope === 'fleet') return false;
    const key = keyOf(a.entityRef, ANOMALY_KINDS[a.scope]);
    return key !== undefined && (key === groupKey || models.has(key));
  };
  for (const a of anomalies.items
    .filter(mine)
    .sort((x, y) => y.day.localeCompare(x.day))) {
    alerts.push({
      title: `Cost ${a.direction === 'spike' ? 'spike' : 'drop'} on ${a.day}: ${
        a.entityRef
      }`,
      subtitle: `${formatUsd(a.costUsd)} against a baseline of ${formatUsd(
        a.baselineUsd,
      )} (robust z-score ${a.score.toFixed(1)}).`,
    });
  }
  return alerts;
}
