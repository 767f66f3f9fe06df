import {
  ModelArbitrageReport,
  MoveDetails,
} from '@modelfleet/plugin-modelfleet-common';

type Option = ModelArbitrageReport['options'][number];

/** The figures a move is decided on, from the what-if. */
export function moveDetails(
  whatIf: ModelArbitrageReport,
  to: Option,
  from: Option | undefined,
  fromCluster: string,
): MoveDetails {
  const moveUsd = to.move?.usd ?? 0;
  const fromUsd = whatIf.currentMonthlyUsd;
  const savingPerHour =
    fromUsd === undefined
      ? 0
      : (fromUsd - to.monthlyUsd - to.preemptionUsdPerMonth) / 730;
  const availability = `${(to.availability * 100).toFixed(2)} % available`;
  return {
    from: {
      pool: from?.pool ?? '',
      title: from?.title ?? `cluster ${fromCluster}`,
      cluster: from?.cluster ?? fromCluster,
      ...(fromUsd !== undefined ? { monthlyUsd: fromUsd } : {}),
    },
    to: {
      pool: to.pool,
      title: to.title,
      cluster: to.cluster,
      capacityType: to.capacityType,
      monthlyUsd: to.monthlyUsd + to.preemptionUsdPerMonth,
      preemptionsPerMonth: to.preemptionsPerMonth,
      availability: to.availability,
    },
    moveUsd,
    ...(savingPerHour > 0 ? { paybackHours: moveUsd / savingPerHour } : {}),
    risk:
      to.capacityType === 'spot'
        ? `spot: ${to.preemptionsPerMonth.toFixed(
            1,
          )} preemptions a month expected, ${availability} (${to.riskSource})`
        : `${to.capacityType}: not preempted, ${availability}`,
  };
}
