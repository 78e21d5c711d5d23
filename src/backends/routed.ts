import type { TaskOutcome } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import type { Route } from "../core/route.js";
import type { ToolName } from "../core/tool-name.js";
import type { Backend, RunOptions } from "./backend.js";

/** The two backends a routed scan runs on at once, and how to pick between them. */
export interface RoutedBackendOptions {
  pooled: Backend;
  /** Started on the first task routed to it, so a scan of pooled tools only starts no threads. */
  local: () => Backend;
  localConcurrency: number;
  routeOf: (tool: ToolName) => Route;
  log: (line: string) => void;
}

/**
 * The plan's PoolRouter: each task goes to the pooled backend or the local one by its tool, so both run at
 * once. The scheduler hands tasks over slowest first, and each backend queues them in that order.
 */
export class RoutedBackend implements Backend {
  readonly name: string;
  readonly concurrency: number;
  private local: Backend | undefined;
  private readonly logged = new Set<ToolName>();

  constructor(private readonly options: RoutedBackendOptions) {
    this.name = `${options.pooled.name} + local, routed by tool`;
    this.concurrency = options.pooled.concurrency + options.localConcurrency;
  }

  run(task: Task, options: RunOptions): Promise<TaskOutcome> {
    const route = this.options.routeOf(task.tool);
    if (!this.logged.has(task.tool)) {
      this.logged.add(task.tool);
      this.options.log(`route: ${task.tool} → ${route.target === "pooled" ? "Mahavishnu pools" : "local pool"} (${route.because})`);
    }
    if (route.target === "pooled") return this.options.pooled.run(task, options);
    this.local ??= this.options.local();
    return this.local.run(task, options);
  }

  async close(): Promise<void> {
    await Promise.all([this.options.pooled.close(), this.local?.close()]);
  }
}
