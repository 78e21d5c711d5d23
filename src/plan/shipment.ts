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
type ToolShipment = Extract<Shipment, { kind: "stay" }> | { kind: "tool"; version: string; python: string | null; common: string[] };

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
 * reports here. Every tool reads its config files wherever they are in the project (ruff's nearest pyproject.toml), so
 * all of them go; a tool whose findings depend on more than the file itself (vulture, skylos: every use of a name)
 * gets the whole project.
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
        const configs = all.filter((file) => spec.configFiles.includes(path.posix.basename(file)));
        // Config files at the top count tracked or not (memory/keys/fingerprint.ts reads them the same way).
        const untracked = await Promise.all(
          spec.configFiles.map(async (name) => (!configs.includes(name) && (await isProjectFile(source.contentRoot, name)) ? [name] : [])),
        );
        const wholeProject = spec.scope === "whole-project" || spec.resultsDependOn !== "own-file" ? all : [];
        const python = prepared.program.kind === "process" ? await venvPythonVersion(prepared.program.executable) : null;
        return { kind: "tool", version: prepared.version, python, common: [...configs, ...untracked.flat(), ...wholeProject] };
      })();
      decided.set(tool, known);
    }
    return known;
  };
  return async (task: Task): Promise<Shipment> => {
    const shipment = await toolShipment(task.tool);
    if (shipment.kind === "stay") return shipment;
    const files = new Set([...task.files, ...shipment.common, ...(await filesNamedBy(source.contentRoot, task.userArgs))]);
    return { kind: "ship", toolVersion: shipment.version, python: shipment.python, files: [...files] };
  };
}
