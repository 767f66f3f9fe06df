/** A request the page made, from the browser's Resource Timing. */
export interface RequestTiming {
  url: string;
  /** Milliseconds since the measurement started. */
  start: number;
  end: number;
  /** Bytes of the body as sent (compressed), 0 when served from cache. */
  bytes: number;
  /** `fetch` for API calls, `script`, `link`, … */
  initiator: string;
}

const BAR_WIDTH = 40;

/** The path and query of a URL of the portal, the URL itself otherwise. */
function shortUrl(url: string, base: string): string {
  return url.startsWith(base) ? url.slice(base.length) || '/' : url;
}

/** A line of bars: where in the load the request ran. */
function bar(start: number, end: number, total: number): string {
  const scale = total > 0 ? BAR_WIDTH / total : 0;
  const from = Math.min(BAR_WIDTH - 1, Math.floor(start * scale));
  const to = Math.max(from + 1, Math.min(BAR_WIDTH, Math.ceil(end * scale)));
  return `${' '.repeat(from)}${'#'.repeat(to - from)}${' '.repeat(
    BAR_WIDTH - to,
  )}`;
}

/**
 * The requests of one page load as a waterfall, one line each in the order
 * they started (start and end in ms, kB over the wire, a bar, the URL),
 * then the totals: API calls, scripts and their kB.
 */
export function formatWaterfall(
  requests: RequestTiming[],
  base: string,
  renderedAt: number,
): string[] {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const total = Math.max(renderedAt, ...sorted.map(r => r.end));
  const lines = sorted.map(
    r =>
      `  ${String(Math.round(r.start)).padStart(6)} ${String(
        Math.round(r.end),
      ).padStart(6)} ${(r.bytes / 1024).toFixed(1).padStart(7)} kB |${bar(
        r.start,
        r.end,
        total,
      )}| ${shortUrl(r.url, base)}`,
  );
  const api = sorted.filter(r => r.initiator === 'fetch');
  const scripts = sorted.filter(r => r.initiator === 'script');
  const kB = (rs: RequestTiming[]) =>
    (rs.reduce((s, r) => s + r.bytes, 0) / 1024).toFixed(0);
  return [
    '   start    end    size    (ms since the navigation)',
    ...lines,
    `  ${api.length} API calls, the last answered at ${Math.round(
      Math.max(0, ...api.map(r => r.end)),
    )} ms; ${scripts.length} scripts, ${kB(
      scripts,
    )} kB over the wire; cards rendered at ${Math.round(renderedAt)} ms`,
  ];
}

/**
 * When each card showed its content, first to last, e.g.
 * `cards: cost 812 ms, spot 840 ms` (the `modelfleet-` and `-card` of their
 * test ids left out).
 */
export function cardTimes(cards: Record<string, number>): string {
  return `cards: ${Object.entries(cards)
    .sort((a, b) => a[1] - b[1])
    .map(
      ([id, ms]) =>
        `${id.replace(/^modelfleet-/, '').replace(/-card$/, '')} ${Math.round(
          ms,
        )} ms`,
    )
    .join(', ')}`;
}
