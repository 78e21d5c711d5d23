import { loadConfig } from "../config/load.js";
import { interruptedExitCode } from "../core/exit-codes.js";
import { findProjectRoot } from "../config/project-root.js";
import { alignColumns } from "../text/columns.js";
import { reportFormat } from "../report/formats/format-option.js";
import { downloadTools } from "../toolchain/download.js";
import { installTools } from "../toolchain/install.js";
import { toolInventory, type ToolRow } from "../plan/inventory.js";
import { SOURCE_NAMES } from "../toolchain/tool-sources.js";
import { UserError } from "../core/errors.js";

/** The flags of `jackpool tools`, as cac parses them. */
export interface ToolsFlags {
  python?: string;
  offline?: boolean;
  wheelhouse?: string;
  format?: string;
  config?: string;
}

/** Which flags each action takes; any other is a mistake worth one line. */
const ACTION_FLAGS = {
  install: ["python", "offline", "wheelhouse"],
  download: ["python", "wheelhouse"],
  list: ["format", "config"],
} as const satisfies Record<string, readonly (keyof ToolsFlags)[]>;

type ToolsAction = keyof typeof ACTION_FLAGS;

function isAction(action: string): action is ToolsAction {
  return Object.hasOwn(ACTION_FLAGS, action);
}

const FLAG_NAMES: Record<keyof ToolsFlags, string> = {
  python: "--python",
  offline: "--offline",
  wheelhouse: "--wheelhouse",
  format: "--format",
  config: "--config",
};

function checkFlags(action: ToolsAction, flags: ToolsFlags): void {
  const allowed: readonly string[] = ACTION_FLAGS[action];
  for (const [flag, name] of Object.entries(FLAG_NAMES)) {
    if (flags[flag as keyof ToolsFlags] !== undefined && !allowed.includes(flag))
      throw new UserError(`tools ${action}: ${name} does not apply`);
  }
}

function listText(rows: readonly ToolRow[]): string {
  const table = rows.map((row) => [
    row.tool,
    row.found ? "found" : "missing",
    row.source === null ? "-" : SOURCE_NAMES[row.source],
    row.version ?? "-",
    row.scope ?? "-",
    row.enabled ? row.placement : `${row.placement} (disabled)`,
    row.path ?? row.note ?? "-",
  ]);
  return `${alignColumns([["tool", "status", "where", "version", "scope", "runs", "path"], ...table]).join("\n")}\n`;
}

/** `jackpool tools install|download|list`; returns the exit code. */
export async function toolsCommand(action: string, flags: ToolsFlags, cwd: string, signal: AbortSignal): Promise<number> {
  if (!isAction(action)) throw new UserError(`tools: unknown action "${action}" (expected ${Object.keys(ACTION_FLAGS).join(", ")})`);
  checkFlags(action, flags);
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    if (action === "install") {
      const progress = (line: string): void => void process.stderr.write(`jackpool: ${line}\n`);
      await installTools({ cwd, python: flags.python, offline: flags.offline === true, wheelhouse: flags.wheelhouse }, signal, {
        print,
        progress,
      });
    } else if (action === "download") {
      await downloadTools({ cwd, python: flags.python, wheelhouse: flags.wheelhouse }, signal, print);
    } else {
      const format = reportFormat(flags.format);
      const { pool_scanning: config } = await loadConfig(cwd, flags.config);
      const rows = await toolInventory(config, await findProjectRoot(cwd), signal);
      process.stdout.write(format === "json" ? `${JSON.stringify(rows, null, 2)}\n` : listText(rows));
    }
  } catch (error) {
    if (signal.aborted) return interruptedExitCode(signal);
    throw error;
  }
  return signal.aborted ? interruptedExitCode(signal) : 0;
}
