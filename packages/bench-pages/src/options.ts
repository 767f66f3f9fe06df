/** What `yarn bench:pages` measures and against which portal. */
export interface BenchOptions {
  /** The portal's URL, without a trailing slash. */
  base: string;
  /** Runs of each figure. */
  runs: number;
  /** The Model to open, `namespace/name`; the catalog's first when unset. */
  model?: { namespace: string; name: string };
  /** Print the requests of the last load of the Model page of each kind. */
  waterfall: boolean;
  /** The Chromium binary (Debian's; a browser is never downloaded). */
  chromium: string;
}

export const DEFAULT_BASE = 'http://localhost:7007';
export const DEFAULT_RUNS = 7;
export const MAX_RUNS = 100;

export const USAGE = `usage: yarn bench:pages [--base URL] [--runs N] [--model NAMESPACE/NAME] [--waterfall] [--chromium PATH]

  --base URL       the running portal (default ${DEFAULT_BASE})
  --runs N         runs of each figure, 1 to ${MAX_RUNS} (default ${DEFAULT_RUNS})
  --model NS/NAME  the Model page to open (default: the catalog's first Model)
  --waterfall      print the requests of the last Model page load of each kind
  --chromium PATH  the Chromium binary (default $CHROMIUM_PATH or /usr/bin/chromium)`;

/** A command line `yarn bench:pages` cannot run with, naming the option. */
export class OptionError extends Error {}

const NAME = /^[a-z0-9A-Z][a-z0-9A-Z._-]*$/;

function parseBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OptionError(`--base must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OptionError(`--base must be an http(s) URL, got "${value}"`);
  }
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname)) {
    throw new OptionError(
      `--base must be the portal's address without a path, got "${value}"`,
    );
  }
  return url.origin;
}

function parseRuns(value: string): number {
  const runs = Number(value);
  if (!/^\d+$/.test(value) || runs < 1 || runs > MAX_RUNS) {
    throw new OptionError(
      `--runs must be a whole number from 1 to ${MAX_RUNS}, got "${value}"`,
    );
  }
  return runs;
}

function parseModel(value: string): { namespace: string; name: string } {
  const parts = value.split('/');
  if (parts.length !== 2 || !parts.every(p => NAME.test(p))) {
    throw new OptionError(
      `--model must be a Model's namespace/name, e.g. default/llama-3-1-8b-chat, got "${value}"`,
    );
  }
  return { namespace: parts[0], name: parts[1] };
}

/**
 * The options of a `yarn bench:pages` command line (`--name value` or
 * `--name=value`); throws an {@link OptionError} naming the option that is
 * unknown, missing its value or wrong.
 */
export function parseOptions(
  argv: string[],
  env: Record<string, string | undefined> = {},
): BenchOptions {
  const options: BenchOptions = {
    base: DEFAULT_BASE,
    runs: DEFAULT_RUNS,
    waterfall: false,
    chromium: env.CHROMIUM_PATH || '/usr/bin/chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '--waterfall') {
      if (eq > 0) throw new OptionError('--waterfall takes no value');
      options.waterfall = true;
      continue;
    }
    if (!['--base', '--runs', '--model', '--chromium'].includes(name)) {
      throw new OptionError(`unknown option "${arg}"\n${USAGE}`);
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      value = argv[++i];
    }
    if (value === undefined || value === '') {
      throw new OptionError(`${name} needs a value`);
    }
    if (name === '--base') options.base = parseBase(value);
    else if (name === '--runs') options.runs = parseRuns(value);
    else if (name === '--model') options.model = parseModel(value);
    else options.chromium = value;
  }
  return options;
}
