/* eslint-disable no-console */
import { DEMO_CLUSTERS } from '../definition';
import { MODELFLEET_USER } from './bootstrap';
import { FleetFirstReclaim, parseFirstReclaimArg } from './firstReclaim';
import { startSimulatedFleet, SimulatedFleetOptions } from './fleet';
import { TokenUser } from './rbac';
import { SPOT_TRACE_READINGS, SpotTraceReading } from './spot';

const USAGE = `Usage: modelfleet-sim [options]

Starts one simulated Kubernetes API server per demo cluster on 127.0.0.1,
sharing one simulated clock, so that several backends can drive one fleet.

Options:
  --port <n>                 first port; clusters take it and the next ones
                             (in the order ${DEMO_CLUSTERS.map(
                               c => c.name,
                             ).join(', ')})
  --port <cluster>=<n>       the port of one cluster (repeatable)
  --speed <x>                simulated seconds per second (default 1)
  --start <ISO time>         simulated time to start at (default now)
  --token <token>            bearer token of ModelFleet's service account
                             (${MODELFLEET_USER}); default modelfleet-sim-token
  --admin-token <token>      bearer token of a cluster admin; default sim-admin-token
  --sim-token <token>        bearer token the /_sim/ paths require (default: none)
  --no-traffic               do not replay the traces as requests
  --no-spot                  never reclaim spot nodes (by themselves: the
                             traces' reclaims and --first-reclaim)
  --spot-reading <r>         interruptions (default: each outage of the traces
                             reclaims the zone's spot nodes, capacity is back
                             a tick later), preemption (1 = no spot capacity
                             for as long as the trace says, as the traces'
                             paper reads them) or availability (the README's)
  --first-reclaim <cluster>/<pool>[@<zone>][:<after>[:<seconds>]]
                             a scripted spot reclaim of a spot pool <after>
                             simulated seconds after the start (default 240),
                             in <zone> (default every zone of the cluster),
                             its capacity away <seconds> (default 900), as
                             POST /_sim/spot/reclaims does; e.g.
                             demo-aws-use1/g6e-l40s-spot@us-east-1a:240
  --cluster <name>           only this cluster (repeatable)
  --engine-wake <seconds>    how long a sleeping vLLM engine takes to wake
                             (default 5)
  --help
`;

export function parseArgs(argv: string[]): SimulatedFleetOptions {
  const options: SimulatedFleetOptions = {};
  const ports: Record<string, number> = {};
  let token = 'modelfleet-sim-token';
  let adminToken = 'sim-admin-token';
  let reading: SpotTraceReading = 'interruptions';
  let firstReclaim: FleetFirstReclaim | undefined;
  const clusters: string[] = [];
  const value = (i: number) => {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${argv[i]} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--port': {
        const v = value(i++);
        const m = /^([^=]+)=(\d+)$/.exec(v);
        if (m) ports[m[1]] = Number(m[2]);
        else if (/^\d+$/.test(v)) options.ports = Number(v);
        else throw new Error(`--port ${v}: give a port or <cluster>=<port>`);
        break;
      }
      case '--speed':
        options.speed = Number(value(i++));
        if (!(options.speed > 0))
          throw new Error('--speed must be a number above 0');
        break;
      case '--start':
        options.start = new Date(value(i++));
        if (Number.isNaN(options.start.getTime()))
          throw new Error('--start must be an ISO time');
        break;
      case '--token':
        token = value(i++);
        break;
      case '--admin-token':
        adminToken = value(i++);
        break;
      case '--sim-token':
        options.adminToken = value(i++);
        break;
      case '--no-traffic':
        options.traffic = false;
        break;
      case '--no-spot':
        options.spot = false;
        break;
      case '--spot-reading': {
        const v = value(i++);
        if (!SPOT_TRACE_READINGS.includes(v as SpotTraceReading))
          throw new Error(
            `--spot-reading is one of ${SPOT_TRACE_READINGS.join(', ')}`,
          );
        reading = v as SpotTraceReading;
        break;
      }
      case '--first-reclaim':
        firstReclaim = parseFirstReclaimArg(value(i++));
        break;
      case '--cluster':
        clusters.push(value(i++));
        break;
      case '--engine-wake': {
        const seconds = Number(value(i++));
        if (!(seconds >= 0))
          throw new Error(
            '--engine-wake must be a number of seconds, 0 or more',
          );
        options.cluster = { ...options.cluster, engineWakeMs: seconds * 1000 };
        break;
      }
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  if (Object.keys(ports).length > 0) options.ports = ports;
  if (clusters.length > 0) options.clusters = clusters;
  if (options.spot === false && firstReclaim) {
    throw new Error(
      '--first-reclaim is a spot reclaim, and --no-spot turns them off: give one or the other',
    );
  }
  if (options.spot !== false)
    options.spot = { reading, ...(firstReclaim ? { firstReclaim } : {}) };
  const tokens: Record<string, TokenUser> = {
    [token]: MODELFLEET_USER,
    [adminToken]: { user: 'sim-admin', groups: ['system:masters'] },
  };
  options.tokens = tokens;
  return options;
}

/** Runs the simulator with command-line arguments. */
export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const options = parseArgs(argv);
  const token = Object.entries(options.tokens!).find(
    ([, u]) => u === MODELFLEET_USER,
  )![0];
  const fleet = await startSimulatedFleet({
    ...options,
    log: message => console.log(message),
  });
  console.log(
    `ModelFleet simulated fleet, clock at ${fleet.clock
      .date()
      .toISOString()}, speed ${fleet.clock.speed}`,
  );
  for (const [name, url] of Object.entries(fleet.urls))
    console.log(`  ${name}: ${url}`);
  console.log(
    '\napp-config for the backends (kubernetes.clusterLocatorMethods):\n',
  );
  const appConfig = fleet.kubernetesConfig(token) as any;
  appConfig.modelfleet.demo = {
    enabled: true,
    simulator: { mode: 'external' },
  };
  console.log(JSON.stringify(appConfig, null, 2));
  console.log(
    '\nSimulator paths on each server: /_sim/stats, /_sim/engines, /_sim/mutations, /_sim/faults, /_sim/requests, /_sim/clock, /_sim/spot, /_sim/spot/reclaims, /_sim/pools, /_sim/watches',
  );
  const stop = async () => {
    await fleet.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** `main`, exiting with 1 and the message on an error. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  main(argv).catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

if (require.main === module) runCli();
