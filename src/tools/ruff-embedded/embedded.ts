import { readFile } from "node:fs/promises";
import path from "node:path";
import wasmPackage from "@astral-sh/ruff-wasm-nodejs/package.json" with { type: "json" };
import type { EmbeddedTool, ParsedRun } from "../tool.js";
import type { Finding } from "../../core/finding.js";
import { embeddedRuffSettings } from "./settings.js";

const RUFF_CONFIG_NAMES = new Set([".ruff.toml", "ruff.toml"]);

/** ruff config files below the project root: native ruff applies them to their subtrees. */
async function nestedRuffConfigs(root: string, projectFiles: readonly string[]): Promise<string[]> {
  const nested: string[] = [];
  for (const file of projectFiles) {
    if (!file.includes("/")) continue;
    const name = path.posix.basename(file);
    if (RUFF_CONFIG_NAMES.has(name)) nested.push(file);
    else if (name === "pyproject.toml" && /^\[tool\.ruff[\].]/m.test(await readFile(path.join(root, file), "utf8").catch(() => "")))
      nested.push(file);
  }
  return nested;
}

/**
 * ruff compiled to WebAssembly (@astral-sh/ruff-wasm-nodejs), run inside the pool's worker threads: jackpool still
 * lints on a machine with no Python tools. It checks one file's text at a time with the project's root
 * settings; what that cannot cover is listed by `limitations` and shown in the report.
 */
export const embeddedRuff: EmbeddedTool = {
  version: `${wasmPackage.version}+wasm`,
  // Measured on pygments: about 13 ms a file in one thread, after about 100 ms compiling the module.
  cost: { startupMs: 100, perFileMs: 13 },
  // The WebAssembly build checks Python source only: stubs and notebooks need file types it cannot be told.
  accepts: (file) => file.endsWith(".py"),
  async limitations(root, projectFiles, override) {
    const { limitations } = await embeddedRuffSettings(root, await nestedRuffConfigs(root, projectFiles));
    const skipped = projectFiles.filter((file) => file.endsWith(".pyi") || file.endsWith(".ipynb")).length;
    return [
      `native ruff not found: using the embedded WebAssembly ruff ${wasmPackage.version}, without rule documentation links`,
      ...(skipped > 0 ? [`${skipped} .pyi/.ipynb files not checked: the embedded ruff checks .py files only`] : []),
      ...((override.args ?? []).length > 0 ? ["tools.ruff.args are not honoured by the embedded ruff"] : []),
      ...limitations,
    ];
  },
  async run(task, signal): Promise<ParsedRun> {
    let settings;
    try {
      settings = await embeddedRuffSettings(task.cwd, []);
    } catch (error) {
      return {
        kind: "tool-error",
        message: `embedded ruff cannot read the ruff settings: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    // 10 MB of WebAssembly: compiled only in threads that run the embedded ruff.
    const { Workspace, PositionEncoding } = await import("@astral-sh/ruff-wasm-nodejs");
    let workspace;
    try {
      // UTF-32 positions are character columns, as native ruff reports them.
      workspace = new Workspace(settings.options, PositionEncoding.Utf32);
    } catch (error) {
      // wasm-bindgen errors read "Error: Error: unknown field …".
      const reason = String(error).replace(/^(Error: )+/, "");
      return { kind: "tool-error", message: `embedded ruff rejects the settings in ${settings.source ?? "its defaults"}: ${reason}` };
    }
    try {
      const findings: Finding[] = [];
      for (const file of task.files) {
        if (signal.aborted) break;
        const diagnostics = workspace.check(await readFile(path.join(task.cwd, file), "utf8")) as WasmDiagnostic[];
        for (const diagnostic of diagnostics) findings.push(findingOf(file, diagnostic));
      }
      return { kind: "findings", findings };
    } catch (error) {
      return { kind: "tool-error", message: `embedded ruff failed: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      workspace.free();
    }
  },
};

interface WasmDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
  end_location: { row: number; column: number };
}

function findingOf(file: string, diagnostic: WasmDiagnostic): Finding {
  return {
    tool: "ruff",
    rule: diagnostic.code ?? "invalid-syntax",
    severity: "error",
    path: file,
    line: diagnostic.start_location.row,
    column: diagnostic.start_location.column,
    message: diagnostic.message,
    endLine: diagnostic.end_location.row,
    endColumn: diagnostic.end_location.column,
  };
}
