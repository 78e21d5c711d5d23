import { stat } from "node:fs/promises";
import path from "node:path";
import type { Shipment, ShipmentOf } from "../core/shipment.js";
import type { Task } from "../core/task.js";
import { venvPythonVersion } from "../tools/python/environment.js";
import type { PreparedTool } from "./prepare.js";
import type { ToolWork } from "./work.js";

/** What deciding a task's shipment needs from the scan's plan. */
export interface ShipmentSource {
  /** Where the bytes being scanned live: the project, or the snapshot of the index under --staged. */
  contentRoot: string;
  tools: readonly PreparedTool[];
  works: readonly ToolWork[];
  /** Every file of the project. */
  allFiles: () => Promise<string[]>;
}

/** Whether `file` (relative to `root`) is a regular file inside `root`. */
async function isProjectFile(root: string, file: string): Promise<boolean> {
  if (path.isAbsolute(file) || file.split(/[\\/]/).includes("..")) return false;
  return (await stat(path.join(root, file)).catch(() => null))?.isFile() ?? false;
}

/** Project files an argument names, as `--config=x.toml` or `x.toml`: a worker must have them where the tool looks. */
async function filesNamedBy(root: string, args: readonly string[]): Promise<string[]> {
  const candidates = args.flatMap((arg) => (arg.includes("=") ? [arg, arg.slice(arg.indexOf("=") + 1)] : [arg]));
  const named = await Promise.all(candidates.map(async (candidate) => ((await isProjectFile(root, candidate)) ? [candidate] : [])));
  return named.flat();
}

/** What every task of one tool ships (its config files; the whole project for some), or why it stays. */
type ToolShipment =
  | Extract<Shipment, { kind: "stay" }>
  | { kind: "tool"; version: string; python: string | null; common: readonly string[]; inCommon: ReadonlySet<string> };

/** Why a tool cannot leave this machine, or null when its tasks can be shipped by content. */
function mustStay(prepared: Extract<PreparedTool, { kind: "ready" }>, works: readonly ToolWork[]): string | null {
  const { spec } = prepared.tool;
  if (spec.package === null) return "it is declared in the project's config: its command is this machine's";
  if (prepared.version === null) return "its version is unknown, so no worker can be shown to have the same";
  if (spec.readsInstalledPackages) return "its findings depend on the packages installed for the project";
  if (works.some((work) => Object.keys(work.inputs ?? {}).length > 0 || work.pythonEnvironment !== undefined))
    return "its settings name files outside the project";
  return null;
}

/**
 * Each task's shipment (core/shipment.ts): what a worker without the project needs to run it and report what it
 * reports here, which is the whole project, whatever the tool. A tool reads more than the files it is given: its
 * config files wherever they are (ruff's nearest pyproject.toml), every use of a name (vulture, skylos), and the shape
 * of the tree (ruff sorts imports by whether a package is the project's own, and names modules by the packages their
 * `__init__.py` make; on Django's sdist a tree of the task's files alone changed 400 findings). Shipped by content, the
 * project costs its upload once and a worker's fetch once; a worker lays each version of it out once.
 */
export function shipmentPlanner(source: ShipmentSource): ShipmentOf {
  const decided = new Map<string, Promise<ToolShipment>>();
  const toolShipment = (tool: string): Promise<ToolShipment> => {
    let known = decided.get(tool);
    if (!known) {
      known = (async (): Promise<ToolShipment> => {
        const prepared = source.tools.find((candidate) => candidate.name === tool);
        if (prepared?.kind !== "ready") return { kind: "stay", because: "it is not ready to run" };
        const works = source.works.filter((work) => work.tool === tool);
        const because = mustStay(prepared, works);
        if (because !== null || prepared.version === null) return { kind: "stay", because: because ?? "" };
        const { spec } = prepared.tool;
        const all = await source.allFiles();
        // Config files at the top count tracked or not (memory/keys/fingerprint.ts reads them the same way).
        const untracked = await Promise.all(
          spec.configFiles.map(async (name) => (!all.includes(name) && (await isProjectFile(source.contentRoot, name)) ? [name] : [])),
        );
        const python = prepared.program.kind === "process" ? await venvPythonVersion(prepared.program.executable) : null;
        const common = [...all, ...untracked.flat()].sort();
        return { kind: "tool", version: prepared.version, python, common, inCommon: new Set(common) };
      })();
      decided.set(tool, known);
    }
    return known;
  };
  return async (task: Task): Promise<Shipment> => {
    const shipment = await toolShipment(task.tool);
    if (shipment.kind === "stay") return shipment;
    const extra = [...task.files, ...(await filesNamedBy(source.contentRoot, task.userArgs))].filter(
      (file) => !shipment.inCommon.has(file),
    );
    // Almost always none: every task of the tool then ships the very same sorted list, which the queue makes one tree
    // of without sorting or comparing thousands of paths per task.
    const files = extra.length === 0 ? shipment.common : [...new Set([...shipment.common, ...extra])].sort();
    return { kind: "ship", toolVersion: shipment.version, python: shipment.python, files };
  };
}
