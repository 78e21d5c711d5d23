import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { loadConfig } from "../src/config/load.js";
import { selectFiles } from "../src/files/select.js";
import { filesForTool, toolRuns } from "../src/plan/runs.js";
import type { Finding } from "../src/core/finding.js";
import type { ToolName } from "../src/core/tool-name.js";
import { builtinTool } from "../src/tools/registry.js";
import { REPO, VENV_BIN } from "./helpers.js";

/** pyright, pinned in package.json, comes from jackpool's own node_modules; every other tool from the pinned .venv. */
export const PYRIGHT_BIN = path.join(REPO, "node_modules", ".bin", "pyright");

/** The executable a direct run of `tool` starts. */
export function directExecutable(tool: ToolName, executable: string): string {
  return tool === "pyright" ? PYRIGHT_BIN : path.join(VENV_BIN, executable);
}

/** Sorts findings the way the report does not need to: by their JSON, so two lists compare as sets. */
export function canonical(findings: readonly Finding[]): string[] {
  return findings.map((finding) => JSON.stringify(finding)).sort();
}

/** What one direct run of a tool came to: its findings, or why it failed; and how long it took. */
export interface DirectRun {
  findings: Finding[];
  /** Set when the tool failed (its adapter's verdict), as the report would say after the task's name. */
  error?: string;
  durationMs: number;
}

/**
 * What the tool reports when run once, directly, on all of its files with the project's options (once per
 * settings entry, for tools that have them: one run per check-jsonschema schema). `env` adds to the tool's environment.
 */
export async function directRun(tool: ToolName, root: string, env: Record<string, string> = {}): Promise<DirectRun> {
  const adapter = builtinTool(tool);
  if (!adapter) throw new Error(`no built-in tool ${tool}`);
  const started = performance.now();
  const { pool_scanning: config } = await loadConfig(root);
  const override = config.tools[tool] ?? {};
  const files = filesForTool(adapter, override, await selectFiles(root, { mode: "all" }, config.exclude));
  const findings: Finding[] = [];
  for (const run of await toolRuns(adapter, override, root, files)) {
    const taskDir = await mkdtemp(path.join(os.tmpdir(), "jackpool-direct-"));
    try {
      const executable = directExecutable(tool, adapter.spec.executable);
      const context = { taskDir, userArgs: run.userArgs };
      // The files the tool's own configuration checks (mypy's exclude, pyright's include), asked of the tool as jackpool asks.
      const targets = adapter.driver.targets
        ? await adapter.driver.targets(run.files, { cwd: root, executable, userArgs: run.userArgs, signal: new AbortController().signal })
        : { files: run.files };
      const named = "files" in targets ? targets.files : [];
      if ("files" in targets && named.length === 0) continue;
      await adapter.driver.stage?.(named, { ...context, cwd: root });
      const args = adapter.driver.buildArgs(named, context);
      const result = await execa(executable, args, {
        cwd: root,
        reject: false,
        stdin: "ignore",
        maxBuffer: 512 * 1024 * 1024,
        // As an activated virtualenv: the tool's own directory first on PATH (skylos finds its ripgrep there).
        env: {
          NO_COLOR: "1",
          PYTHONIOENCODING: "utf-8",
          ...env,
          PATH: `${path.dirname(executable)}${path.delimiter}${env.PATH ?? process.env.PATH ?? ""}`,
          ...adapter.driver.environment?.(context),
        },
      });
      const parsed = await adapter.driver.parse({
        exitCode: result.exitCode ?? -1,
        stdout: result.stdout,
        stderr: result.stderr,
        cwd: root,
        taskDir,
        args,
      });
      if (parsed.kind !== "findings") return { findings, error: parsed.message, durationMs: performance.now() - started };
      findings.push(...parsed.findings);
    } finally {
      await rm(taskDir, { recursive: true, force: true });
    }
  }
  return { findings, durationMs: performance.now() - started };
}

/** The findings of a direct run (`directRun`); a tool that fails directly is an error here. */
export async function directFindings(tool: ToolName, root: string): Promise<Finding[]> {
  const run = await directRun(tool, root);
  if (run.error !== undefined) throw new Error(`${tool} failed directly: ${run.error}`);
  return run.findings;
}
