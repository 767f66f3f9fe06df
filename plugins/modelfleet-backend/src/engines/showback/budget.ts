import { BudgetStatus } from '@modelfleet/plugin-modelfleet-common';
import { daysInMonth, monthOf, parseDay } from './days';

/**
 * Budget burn and month-end forecast: month-to-date cost, plus the mean of
 * the last `runRateDays` days with data for every day left in the month.
 *
 * @param today - the current day; days after it are the ones left
 * @param daily - costs of the days of `today`'s month up to `today`
 */
export function budgetStatus(options: {
  monthlyBudgetUsd: number;
  today: string;
  daily: Array<{ day: string; costUsd: number }>;
  runRateDays?: number;
  /** Share of the budget from which a forecast is `at-risk`. */
  atRiskShare?: number;
}): BudgetStatus {
  const { monthlyBudgetUsd, today } = options;
  parseDay(today, 'today');
  const month = monthOf(today);
  const days = options.daily
    .filter(d => monthOf(d.day) === month && d.day <= today)
    .sort((a, b) => a.day.localeCompare(b.day));
  const monthToDateUsd = days.reduce((s, d) => s + d.costUsd, 0);
  const recent = days.slice(-(options.runRateDays ?? 7));
  const runRate = recent.length
    ? recent.reduce((s, d) => s + d.costUsd, 0) / recent.length
    : 0;
  const daysLeft = daysInMonth(today) - Number(today.slice(8, 10));
  const forecastUsd = monthToDateUsd + runRate * daysLeft;
  const burn =
    monthlyBudgetUsd > 0 ? monthToDateUsd / monthlyBudgetUsd : Infinity;
  let status: BudgetStatus['status'] = 'ok';
  if (monthToDateUsd > monthlyBudgetUsd) status = 'over';
  else if (forecastUsd > monthlyBudgetUsd * (options.atRiskShare ?? 1)) {
    status = 'at-risk';
  }
  return { month, monthlyBudgetUsd, monthToDateUsd, forecastUsd, burn, status };
}
