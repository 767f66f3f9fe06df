/** Whole dollars, as a month's figures are shown: `$2,644`; `-$730` for a cost. */
export function dollars(usd: number): string {
  const s = `$${Math.abs(Math.round(usd)).toLocaleString('en-US')}`;
  return Math.round(usd) < 0 ? `-${s}` : s;
}
