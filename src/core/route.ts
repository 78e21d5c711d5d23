/** Where a task runs: on the Mahavishnu pools (when a server is there), or on the local worker threads. */
export type RouteTarget = "pooled" | "local";

/** Where one tool's tasks run, and the setting that decided it (for --verbose). */
export interface Route {
  target: RouteTarget;
  because: string;
}
