import {
  DEFAULT_BASE,
  DEFAULT_RUNS,
  OptionError,
  parseOptions,
} from './options';

describe('parseOptions', () => {
  it('defaults to the portal on port 7007, 7 runs and Debian Chromium', () => {
    expect(parseOptions([])).toEqual({
      base: DEFAULT_BASE,
      runs: DEFAULT_RUNS,
      waterfall: false,
      chromium: '/usr/bin/chromium',
    });
    expect(parseOptions([], { CHROMIUM_PATH: '/opt/chrome' }).chromium).toBe(
      '/opt/chrome',
    );
  });

  it('reads --name value and --name=value', () => {
    expect(
      parseOptions([
        '--base',
        'http://localhost:7851/',
        '--runs=3',
        '--model',
        'default/search-reranker',
        '--waterfall',
      ]),
    ).toEqual({
      base: 'http://localhost:7851',
      runs: 3,
      model: { namespace: 'default', name: 'search-reranker' },
      waterfall: true,
      chromium: '/usr/bin/chromium',
    });
  });

  it.each([
    [['--runs', '0'], '--runs must be a whole number from 1 to 100, got "0"'],
    [['--runs', '2.5'], '--runs'],
    [['--runs=101'], '--runs'],
    [['--runs'], '--runs needs a value'],
    [['--runs', '--waterfall'], '--runs needs a value'],
    [['--base', 'localhost:7007'], '--base must be an http(s) URL'],
    [['--base', 'ftp://localhost'], '--base must be an http(s) URL'],
    [['--base', 'http://localhost:7007/catalog'], 'without a path'],
    [['--model', 'llama'], "--model must be a Model's namespace/name"],
    [['--model', 'default/../x'], '--model'],
    [['--waterfall=yes'], '--waterfall takes no value'],
    [['--fast'], 'unknown option "--fast"'],
  ])('refuses %j, naming the option', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(OptionError);
    expect(() => parseOptions(argv)).toThrow(message);
  });
});
