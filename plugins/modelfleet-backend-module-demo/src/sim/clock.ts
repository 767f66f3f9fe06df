/** A timer of a {@link SimClock}. */
export interface SimTimer {
  readonly id: number;
  /** Simulated time (ms since the epoch) the timer fires at. */
  readonly due: number;
}

interface Entry extends SimTimer {
  fn: () => void;
  cancelled: boolean;
}

/**
 * Options of a {@link SimClock}.
 *
 * @public
 */
export interface SimClockOptions {
  /** Simulated time to start at; the wall-clock time by default. */
  start?: Date | number;
  /**
   * `realtime`: simulated time runs `speed` times faster than the wall
   * clock, and timers fire by themselves. `manual`: time stands still
   * until {@link SimClock.advance} moves it (tests); timers that are due
   * (delay 0) still run by themselves, on the next turn of the event loop.
   */
  mode?: 'realtime' | 'manual';
  /** Simulated seconds per wall-clock second in realtime mode; 1 by default. */
  speed?: number;
}

/** Longest delay Node's setTimeout takes. */
const MAX_REAL_DELAY = 2 ** 31 - 1;

/**
 * The simulation's time: `now()`, and timers scheduled in simulated time.
 * Timers fire in order of their due time, then of their scheduling, so a
 * run of the simulation is a function of its inputs. Everything in the
 * simulator reads time here, never from `Date.now()`.
 *
 * @public
 */
export class SimClock {
  readonly mode: 'realtime' | 'manual';
  private simBase: number;
  private wallBase: number;
  private currentSpeed: number;
  private readonly queue: Entry[] = [];
  private seq = 0;
  private realTimer?: ReturnType<typeof setTimeout>;
  private immediate?: ReturnType<typeof setImmediate>;
  private running = false;
  private disposed = false;

  constructor(options: SimClockOptions = {}) {
    this.mode = options.mode ?? 'realtime';
    const start = options.start ?? Date.now();
    this.simBase = typeof start === 'number' ? start : start.getTime();
    this.wallBase = Date.now();
    this.currentSpeed = options.speed ?? 1;
    if (!(this.currentSpeed > 0)) {
      throw new Error(`speed must be more than 0, not ${options.speed}`);
    }
  }

  /** Simulated time, ms since the epoch. */
  now(): number {
    if (this.mode === 'manual') return this.simBase;
    return this.simBase + (Date.now() - this.wallBase) * this.currentSpeed;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Simulated seconds per wall-clock second (realtime mode). */
  get speed(): number {
    return this.currentSpeed;
  }

  /** Changes the speed from now on (realtime mode). */
  setSpeed(speed: number): void {
    if (!(speed > 0))
      throw new Error(`speed must be more than 0, not ${speed}`);
    this.simBase = this.now();
    this.wallBase = Date.now();
    this.currentSpeed = speed;
    this.arm();
  }

  /** Runs `fn` after `delayMs` of simulated time. */
  setTimeout(fn: () => void, delayMs: number): SimTimer {
    const due = this.now() + Math.max(0, delayMs || 0);
    return this.at(due, fn);
  }

  /** Runs `fn` at a simulated time (at once if it has passed). */
  at(due: number, fn: () => void): SimTimer {
    const entry: Entry = { id: ++this.seq, due, fn, cancelled: false };
    // Sorted insert: by due time, then by scheduling order.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].due > due) i--;
    this.queue.splice(i, 0, entry);
    this.arm();
    return entry;
  }

  clearTimeout(timer: SimTimer | undefined): void {
    if (!timer) return;
    const i = this.queue.indexOf(timer as Entry);
    if (i >= 0) {
      (timer as Entry).cancelled = true;
      this.queue.splice(i, 1);
    }
  }

  /** Resolves after `delayMs` of simulated time. */
  sleep(delayMs: number): Promise<void> {
    return new Promise(resolve => this.setTimeout(resolve, delayMs));
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Manual mode: moves time forward by `ms`, running every timer that
   * falls due on the way, at its due time (timers they schedule included).
   */
  advance(ms: number): void {
    if (this.mode !== 'manual') {
      throw new Error('advance() needs a clock in manual mode');
    }
    if (!(ms >= 0)) throw new Error(`cannot advance by ${ms} ms`);
    const target = this.simBase + ms;
    this.runUntil(target);
    this.simBase = target;
  }

  /** Manual mode: advances to a simulated time. */
  advanceTo(time: Date | number): void {
    const t = typeof time === 'number' ? time : time.getTime();
    this.advance(Math.max(0, t - this.simBase));
  }

  /** Runs the timers that are due now. */
  flush(): void {
    this.runUntil(this.now());
  }

  /** Cancels every timer; the clock fires nothing after this. */
  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    if (this.realTimer) clearTimeout(this.realTimer);
    if (this.immediate) clearImmediate(this.immediate);
    this.realTimer = undefined;
    this.immediate = undefined;
  }

  private runUntil(target: number): void {
    if (this.running) return; // a timer advancing the clock: the outer loop goes on
    this.running = true;
    try {
      while (this.queue.length > 0 && this.queue[0].due <= target) {
        const entry = this.queue.shift()!;
        if (this.mode === 'manual' && entry.due > this.simBase) {
          this.simBase = entry.due;
        }
        entry.fn();
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  /** Makes sure the next timer fires by itself (due ones in manual mode). */
  private arm(): void {
    if (this.disposed || this.running) return;
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = undefined;
    const next = this.queue[0];
    if (!next) return;
    const wait = next.due - this.now();
    if (wait <= 0) {
      if (!this.immediate) {
        this.immediate = setImmediate(() => {
          this.immediate = undefined;
          this.flush();
        });
      }
      return;
    }
    if (this.mode === 'manual') return;
    const real = Math.min(MAX_REAL_DELAY, Math.ceil(wait / this.currentSpeed));
    this.realTimer = setTimeout(() => {
      this.realTimer = undefined;
      this.flush();
    }, real);
    this.realTimer.unref?.();
  }
}
