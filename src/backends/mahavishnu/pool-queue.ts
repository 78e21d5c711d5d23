/**
 * Hands out idle pools, one task per pool at a time: a pool types every task into its first worker's terminal,
 * so a second task would interleave with the first. Waiters are served first come, first served.
 */
export class PoolQueue {
  private readonly alive: Set<string>;
  private readonly idle: string[];
  private readonly waiting: ((poolId: string | null) => void)[] = [];

  constructor(poolIds: readonly string[]) {
    this.alive = new Set(poolIds);
    this.idle = [...poolIds];
  }

  /** Pools still in use. */
  get size(): number {
    return this.alive.size;
  }

  /** An idle pool, once one is free; null when aborted or when no pool is left. */
  acquire(signal: AbortSignal): Promise<string | null> {
    const free = this.idle.shift();
    if (free !== undefined) return Promise.resolve(free);
    if (this.alive.size === 0 || signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter = (poolId: string | null): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(poolId);
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        resolve(null);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Starts using a new pool. */
  add(poolId: string): void {
    this.alive.add(poolId);
    this.release(poolId);
  }

  /** Stops using up to `count` idle pools and returns them, the newest first. */
  removeIdle(count: number): string[] {
    const removed = this.idle.splice(Math.max(0, this.idle.length - count)).reverse();
    for (const poolId of removed) this.alive.delete(poolId);
    return removed;
  }

  /** Gives a pool back after its task ended. */
  release(poolId: string): void {
    if (!this.alive.has(poolId)) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter(poolId);
    else this.idle.push(poolId);
  }

  /** Stops using a pool (gone, or a lost task may still run in its terminal). */
  drop(poolId: string): void {
    this.alive.delete(poolId);
    const index = this.idle.indexOf(poolId);
    if (index >= 0) this.idle.splice(index, 1);
    if (this.alive.size === 0) for (const waiter of this.waiting.splice(0)) waiter(null);
  }
}
