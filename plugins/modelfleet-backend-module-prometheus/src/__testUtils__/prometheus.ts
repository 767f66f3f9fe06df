import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/** A real Prometheus on 127.0.0.1 with fixed history loaded from OpenMetrics. */
export interface TestPrometheus {
  baseUrl: string;
  version: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * Writes `openMetrics` (must end with `# EOF`) into TSDB blocks with
 * promtool, then starts Prometheus on them. Fails, never skips, when the
 * Debian `prometheus` package is missing.
 */
export async function startTestPrometheus(
  openMetrics: string,
): Promise<TestPrometheus> {
  for (const bin of [PROMETHEUS, PROMTOOL]) {
    if (!fs.existsSync(bin)) {
      throw new Error(
        `${bin} not found: install the Debian package 'prometheus' (scripts/test.sh does)`,
      );
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelfleet-prom-'));
  const data = path.join(dir, 'data');
  fs.writeFileSync(path.join(dir, 'history.om'), openMetrics);
  execFileSync(
    PROMTOOL,
    [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      path.join(dir, 'history.om'),
      data,
    ],
    {
      stdio: 'pipe',
    },
  );
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    'global:\n  scrape_interval: 15s\nscrape_configs: []\n',
  );
  const version = execFileSync(PROMETHEUS, ['--version'], {
    encoding: 'utf8',
  }).split('\n')[0];
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', d => {
    log += d;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/-/ready`)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Prometheus did not start: ${log.slice(-2000)}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    baseUrl,
    version,
    async stop() {
      await new Promise<void>(resolve => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * OpenMetrics text for series sampled every `stepSeconds` from `start` to
 * `end` (unix seconds); `value(t)` gives each sample.
 */
export function openMetricsSeries(
  name: string,
  labels: Record<string, string>,
  start: number,
  end: number,
  stepSeconds: number,
  value: (t: number) => number,
): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const lines: string[] = [];
  for (let t = start; t <= end; t += stepSeconds) {
    lines.push(`${name}{${l}} ${value(t)} ${t}`);
  }
  return lines.join('\n');
}
