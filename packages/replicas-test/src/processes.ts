import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

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
