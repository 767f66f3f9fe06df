/*
 * Child processes and ports of a test run, shared with packages/fuzz-test
 * (which imports them as `replicas-test/processes`).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Text without terminal colour codes. */
export const plain = (s: string) => s.replace(ANSI, '');

/**
 * A process the run started, in a process group of its own (so that a
 * signal reaches everything it started), its output in a log file.
 */
export class Proc {
  private child?: ChildProcess;
  private exit?: Promise<void>;
  /** Where this start's output begins in the log file. */
  private offset = 0;

  constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly options: { cwd: string; env?: NodeJS.ProcessEnv },
  ) {}

  start(): void {
    const out = fs.openSync(this.logFile, 'a');
    fs.writeSync(
      out,
      `\n--- ${new Date().toISOString()} start ${this.name}: ${
        this.command
      } ${this.args.join(' ')}\n`,
    );
    const child = spawn(this.command, this.args, {
      cwd: this.options.cwd,
      env: this.options.env ?? process.env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    this.offset = fs.fstatSync(out).size;
    fs.closeSync(out);
    this.child = child;
    this.exit = new Promise(resolve => child.once('exit', () => resolve()));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return Boolean(
      this.child &&
        this.child.exitCode === null &&
        this.child.signalCode === null,
    );
  }

  /** Sends a signal to the process group. */
  signal(signal: NodeJS.Signals): void {
    if (!this.child?.pid || !this.alive) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // already gone
    }
  }

  /** SIGKILL, and waits until it is gone. */
  async kill9(): Promise<void> {
    this.signal('SIGKILL');
    await this.exit;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    this.signal('SIGTERM');
    const timer = new Promise<'late'>(resolve =>
      setTimeout(() => resolve('late'), graceMs).unref(),
    );
    if ((await Promise.race([this.exit, timer])) === 'late') {
      await this.kill9();
    }
  }

  /** The log, without colour codes. */
  log(): string {
    try {
      return plain(fs.readFileSync(this.logFile, 'utf8'));
    } catch {
      return '';
    }
  }

  /** The log of the latest start only. */
  logSinceStart(): string {
    try {
      const fd = fs.openSync(this.logFile, 'r');
      try {
        const size = fs.fstatSync(fd).size - this.offset;
        const buffer = Buffer.alloc(Math.max(0, size));
        fs.readSync(fd, buffer, 0, buffer.length, this.offset);
        return plain(buffer.toString('utf8'));
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return '';
    }
  }

  /** The last `n` lines of the log. */
  tail(n: number): string {
    return this.log().split('\n').slice(-n).join('\n');
  }
}

/**
 * Throws when something listens on the port already; `otherwise` is what
 * else to do, added to the message (e.g. which variables pick other ports).
 */
export async function checkPortFree(
  port: number,
  otherwise?: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(
        new Error(
          `port ${port} is taken; stop what runs there${
            otherwise ? ` or ${otherwise}` : ''
          }`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/**
 * The portal's backend (packages/backend of the repository at `root`), run
 * as `backstage-cli package start` runs it but without its file watcher
 * (other work on the sources must not restart it in the middle of a run),
 * in development mode, with app-config.yaml and then `overlayFile`.
 */
export function backendProc(
  root: string,
  name: string,
  logFile: string,
  overlayFile: string,
): Proc {
  const backendDir = path.join(root, 'packages', 'backend');
  const transform = require.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
    { paths: [backendDir] },
  );
  return new Proc(
    name,
    logFile,
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      transform,
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      '--config',
      overlayFile,
    ],
    { cwd: backendDir, env: { ...process.env, NODE_ENV: 'development' } },
  );
}
