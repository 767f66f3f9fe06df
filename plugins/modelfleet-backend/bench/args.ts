/**
 * The value of a benchmark's `--name value` or `--name=value` option, or
 * undefined when it is not given.
 */
export function argValue(name: string, argv = process.argv.slice(2)) {
  const i = argv.findIndex(
    a => a === `--${name}` || a.startsWith(`--${name}=`),
  );
  if (i < 0) return undefined;
  const a = argv[i];
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}
