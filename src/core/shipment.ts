import type { Task } from "./task.js";

/**
 * Whether a task may run on a machine that has no copy of the project (a queue worker), and what it needs there.
 * - `ship`: the tool's version and the Python it parses with (what a worker must have the same of), and every
 *   project file the tool reads: the task's files, the tool's config files, files its arguments name, and for a tool
 *   whose findings depend on other files, the whole project.
 * - `stay`: it runs here, because it reads something that cannot be shipped by content (the project's installed
 *   packages, rule files outside the project, a command of the project's own).
 */
export type Shipment =
  { kind: "ship"; toolVersion: string; python: string | null; files: readonly string[] } | { kind: "stay"; because: string };

/** A scan's answer for each of its tasks, known once the plan is made. */
export type ShipmentOf = (task: Task) => Promise<Shipment>;
