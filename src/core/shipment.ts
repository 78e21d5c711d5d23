import type { Task } from "./task.js";

/**
 * Whether a task may run on a machine that has no copy of the project (a queue worker), and what it needs there.
 * - `ship`: the tool's version and the Python it parses with (what a worker must have the same of), and the project
 *   files the tool may read: all of them (plan/shipment.ts says why), and any its arguments name; sorted, and the
 *   same array for every task of a tool that ships the same files.
 * - `stay`: it runs here, because it reads something that cannot be shipped by content (the project's installed
 *   packages, rule files outside the project, a command of the project's own).
 */
export type Shipment =
  { kind: "ship"; toolVersion: string; python: string | null; files: readonly string[] } | { kind: "stay"; because: string };

/** A scan's answer for each of its tasks, known once the plan is made. */
export type ShipmentOf = (task: Task) => Promise<Shipment>;
