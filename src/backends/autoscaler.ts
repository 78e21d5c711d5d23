/** One resize the autoscaler made, for --verbose and `jackpool pools status`. */
export interface ScalingDecision {
  /** ISO time of the decision. */
  at: string;
  /** Which backend: "local" (worker threads) or "mahavishnu" (pools). */
  backend: string;
  from: number;
  to: number;
  reason: string;
}

/** The `autoscaling` settings as one backend applies them. */
export interface AutoscalingOptions {
  backend: string;
  /** What the backend shrinks back to (`pool.min_workers`). */
  min: number;
  /** The most it grows to (`autoscaling.max_workers`). */
  max: number;
  /** Grow when more tasks than this are queued (`autoscaling.scale_up_threshold`). */
  upThreshold: number;
  /** Shrink to `min` after this long with nothing queued or running (`autoscaling.scale_down_threshold`). */
  idleMs: number;
  onDecision: (decision: ScalingDecision) => void;
}

/** Says what a decision did, in one line. */
export function describeDecision(decision: ScalingDecision): string {
  return `autoscale ${decision.backend}: ${decision.from} → ${decision.to} workers (${decision.reason})`;
}

/**
 * The plan's PoolScaler, for any backend: it counts queued and running tasks, grows the backend when the
 * queue is longer than the threshold (by the excess, up to max), and shrinks it to min after an idle spell.
 * Resizes run one after another through `resize`, which the backend implements (threads or pools).
 */
export class Autoscaler {
  private queued = 0;
  private running = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private resizing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private size: number,
    private readonly options: AutoscalingOptions,
    private readonly resize: (to: number) => Promise<void>,
  ) {}

  /** How many workers the backend should have now. */
  get target(): number {
    return this.size;
  }

  /** A task arrived and waits for a worker (every task: it is then `started` or `cancelled`). */
  enqueued(): void {
    this.queued++;
    this.busy();
    const excess = this.queued - this.options.upThreshold;
    if (excess > 0 && this.size < this.options.max) {
      this.decide(
        Math.min(this.options.max, this.size + excess),
        `${this.queued} tasks queued, more than scale_up_threshold ${this.options.upThreshold}`,
      );
    }
  }

  /** A queued task got a worker. */
  started(): void {
    this.queued--;
    this.running++;
  }

  /** A queued task was dropped before it started. */
  cancelled(): void {
    this.queued--;
    this.maybeIdle();
  }

  /** A started task ended. */
  finished(): void {
    this.running--;
    this.maybeIdle();
  }

  /** Resolves once every resize decided so far is done. */
  settled(): Promise<void> {
    return this.resizing;
  }

  /** No more decisions (the backend is closing). */
  stop(): void {
    this.stopped = true;
    this.busy();
  }

  private busy(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private maybeIdle(): void {
    if (this.queued > 0 || this.running > 0 || this.size <= this.options.min || this.stopped) return;
    this.busy();
    this.idleTimer = setTimeout(() => {
      this.decide(this.options.min, `idle for ${this.options.idleMs / 1000} s, scale_down_threshold`);
    }, this.options.idleMs);
    // An idle timer never keeps jackpool running.
    this.idleTimer.unref();
  }

  private decide(to: number, reason: string): void {
    if (this.stopped || to === this.size) return;
    const from = this.size;
    this.size = to;
    this.options.onDecision({ at: new Date().toISOString(), backend: this.options.backend, from, to, reason });
    this.resizing = this.resizing.then(() => this.resize(to));
  }
}
