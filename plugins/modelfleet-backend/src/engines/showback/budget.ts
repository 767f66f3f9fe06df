import {
  BudgetStatus,
  MonthProjection,
} from '@modelfleet/plugin-modelfleet-common';
import { daysInMonth, monthOf, parseDay } from './days';

/**
 * Where a month's cost ends: the cost of its complete days so far, plus
 * the mean of the last `runRateDays` complete days with data (of any
 * month, so the first days of a month have a run rate) for each day left,
 * today included while it is still running. A running day's partial cost
 * is no day of cost: it neither lowers the run rate nor stands for a
 * whole day.
 *
 * @param today - the current day; days after it are the ones left
 * @param daily - costs of the days up to `today` (days before the month
 *   give the run rate only)
 * @param partialToday - whether `today` is still running (default true)
 */
export function monthProjection(options: {
  today: string;
  daily: Array<{ day: string; costUsd: number }>;
  runRateDays?: number;
  partialToday?: boolean;
}): MonthProjection {
  const { today } = options;
  parseDay(today, 'today');
  const partialToday = options.partialToday ?? true;
  const month = monthOf(today);
  const upToToday = options.daily
    .filter(d => d.day <= today)
    .sort((a, b) => a.day.localeCompare(b.day));
  const inMonth = upToToday.filter(d => monthOf(d.day) === month);
  const monthToDateUsd = inMonth.reduce((s, d) => s + d.costUsd, 0);
  const complete = partialToday
    ? upToToday.filter(d => d.day < today)
    : upToToday;
  const recent = complete.slice(-(options.runRateDays ?? 7));
  const dailyRunRateUsd = recent.length
    ? recent.reduce((s, d) => s + d.costUsd, 0) / recent.length
    : 0;
  const dayOfMonth = Number(today.slice(8, 10));
  const length = daysInMonth(today);
  const completeInMonth = inMonth
    .filter(d => !partialToday || d.day < today)
    .reduce((s, d) => s + d.costUsd, 0);
  const daysLeft = length - dayOfMonth + (partialToday ? 1 : 0);
  // Without a complete day yet, today's cost so far is all there is.
  const forecastUsd = recent.length
    ? completeInMonth + dailyRunRateUsd * daysLeft
    : monthToDateUsd;
  return {
    month,
    monthToDateUsd,
    dailyRunRateUsd,
    runRateDays: recent.length,
    monthlyRunRateUsd: dailyRunRateUsd * length,
    forecastUsd,
  };
}

/**
 * Budget burn and the month-end forecast of {@link monthProjection}.
 */
export function budgetStatus(options: {
  monthlyBudgetUsd: number;
  today: string;
  daily: Array<{ day: string; costUsd: number }>;
  runRateDays?: number;
  partialToday?: boolean;
  /** Share of the budget from which a forecast is `at-risk`. */
  atRiskShare?: number;
}): BudgetStatus {
  const { monthlyBudgetUsd } = options;
  const p = monthProjection(options);
  const burn =
    monthlyBudgetUsd > 0 ? p.monthToDateUsd / monthlyBudgetUsd : Infinity;
  let status: BudgetStatus['status'] = 'ok';
  if (p.monthToDateUsd > monthlyBudgetUsd) status = 'over';
  else if (p.forecastUsd > monthlyBudgetUsd * (options.atRiskShare ?? 1)) {
    status = 'at-risk';
  }
  return {
    month: p.month,
    monthlyBudgetUsd,
    monthToDateUsd: p.monthToDateUsd,
    forecastUsd: p.forecastUsd,
    dailyRunRateUsd: p.dailyRunRateUsd,
    runRateDays: p.runRateDays,
    burn,
    status,
  };
}
