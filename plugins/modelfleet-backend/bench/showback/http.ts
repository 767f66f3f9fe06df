/*
 * The concurrent part of yarn bench:showback: the real router (express, the
 * real stores and CostReportService; authentication and permissions are the
 * Backstage test doubles, which allow everything) on a free loopback port,
 * and a load generator in a worker thread, so the client's work does not
 * share the server's event loop.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import express from 'express';
import { Knex } from 'knex';
import { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { FleetStateStore } from '../../src/database/FleetStateStore';
import { PriceBookStore } from '../../src/database/PriceBookStore';
import { addDays } from '../../src/engines/showback';
import { PlacementService } from '../../src/placement';
import { PolicyService } from '../../src/policy/PolicyService';
import { createRouter } from '../../src/router';
import { FleetStatusService } from '../../src/service/FleetStatusService';
import { CostReportService } from '../../src/showback/CostReportService';
import { BenchFleet, options, rng } from './fleet';

/** Starts the router on 127.0.0.1, port chosen by the system. */
export async function startServer(
  knex: Knex,
  costs: CostReportService,
  policies: PolicyService,
) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user(),
    }),
    permissions: mockServices.permissions(),
    costs,
    policies,
    fleet: new FleetStateStore(knex),
    prices: new PriceBookStore(knex),
    // Not read by the cost and utilization routes.
    fleetStatus: {} as FleetStatusService,
    placement: {} as PlacementService,
  });
  const app = express();
  app.use('/api/modelfleet', router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.rootLogger({ level: 'error' }),
    }).error(),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/api/modelfleet`,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/**
 * A seeded mix of what the cards and pages ask for: cost and utilization
 * of models, teams, pools and the fleet, over the cards' periods (7, 30
 * and 90 days to yesterday), calendar months and quarters, the year by
 * month, and arbitrary ranges. Almost every URL is distinct.
 */
export function requestMix(fleet: BenchFleet, count: number, seed: number) {
  const random = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const today = options.today;
  const first = addDays(today, -options.days + 1);
  const clamp = (d: string) => (d < first ? first : d);
  const period = (): string => {
    const r = random();
    if (r < 0.2) return '';
    if (r < 0.35) return `?from=${addDays(today, -7)}&to=${today}`;
    if (r < 0.5) return `?from=${clamp(addDays(today, -90))}&to=${today}`;
    if (r < 0.65) {
      const m = clamp(addDays(today, -Math.floor(random() * 330)));
      return `?from=${m.slice(0, 7)}-01&granularity=day`;
    }
    if (r < 0.75) {
      const from = clamp(addDays(today, -90 - Math.floor(random() * 240)));
      return `?from=${from}&to=${addDays(from, 91)}&granularity=week`;
    }
    if (r < 0.82) {
      return `?from=${clamp(
        addDays(today, -365),
      )}&to=${today}&granularity=month`;
    }
    const length = 1 + Math.floor(random() * 120);
    const from = clamp(addDays(today, -length - Math.floor(random() * 200)));
    return `?from=${from}&to=${addDays(from, length)}`;
  };
  const entity = (kind: string, ref: string) =>
    `/entity/${kind}/${ref.replace(/^[a-z]+:/, '')}`;
  const models = fleet.models.map(m => m.modelRef);
  const teams = [...new Set(fleet.models.map(m => m.teamRef))];
  const pools = fleet.pools.map(p => p.poolRef);
  const kinds: Array<[number, () => string]> = [
    [0.25, () => `/cost${entity('model', pick(models))}`],
    [0.15, () => `/cost${entity('group', pick(teams))}`],
    [0.1, () => `/cost${entity('gpupool', pick(pools))}`],
    [0.1, () => '/cost/fleet'],
    [0.15, () => `/utilization${entity('model', pick(models))}`],
    [0.08, () => `/utilization${entity('group', pick(teams))}`],
    [0.1, () => `/utilization${entity('gpupool', pick(pools))}`],
    [0.07, () => '/utilization/fleet'],
  ];
  return Array.from({ length: count }, () => {
    let r = random();
    const [, path] = kinds.find(([w]) => (r -= w) < 0) ?? kinds[0];
    return `${path()}${period()}`;
  });
}

const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { base, paths, concurrency, authorization } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const get = path => new Promise((resolve, reject) => {
  const t = process.hrtime.bigint();
  http.get(base + path, { agent, headers: { authorization } }, res => {
    let bytes = 0;
    res.on('data', c => { bytes += c.length; });
    res.on('end', () => resolve({
      ms: Number(process.hrtime.bigint() - t) / 1e6,
      status: res.statusCode,
      bytes,
    }));
    res.on('error', reject);
  }).on('error', reject);
});
(async () => {
  const ms = new Array(paths.length);
  let next = 0;
  let bytes = 0;
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < paths.length) {
      const i = next++;
      const r = await get(paths[i]);
      if (r.status !== 200) throw new Error(paths[i] + ' answered ' + r.status);
      ms[i] = r.ms;
      bytes += r.bytes;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  agent.destroy();
  parentPort.postMessage({ ms, bytes, seconds });
})().catch(e => parentPort.postMessage({ error: String(e && e.stack || e) }));
`;

/** GETs `paths` with `concurrency` requests in flight; the latency of each. */
export async function load(
  base: string,
  paths: string[],
  concurrency: number,
): Promise<{ ms: number[]; bytes: number; seconds: number }> {
  const worker = new Worker(CLIENT, {
    eval: true,
    workerData: {
      base,
      paths,
      concurrency,
      authorization: mockCredentials.user.header(),
    },
  });
  try {
    const r = await new Promise<any>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (r.error) throw new Error(r.error);
    return r;
  } finally {
    await worker.terminate();
  }
}
