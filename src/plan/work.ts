import type { Program } from "../core/task.js";
import type { ToolName } from "../core/tool-name.js";
import type { ToolStatus } from "../core/tool-status.js";
import type { ToolScope } from "../tools/tool.js";
import type { PreparedTool } from "./prepare.js";
import { filesForTool, toolRuns } from "./runs.js";

/** One run of an enabled, installed tool and the files it should see: what memory looks up and the distributor splits. */
export interface ToolWork {
  tool: ToolName;
  scope: ToolScope;
  program: Program;
  /** For a tool the project declares: its declaration, which travels with each task (core/task.ts). */
  declaration?: Readonly<Record<string, unknown>>;
  files: readonly string[];
  /** The tool's settings arguments (semgrep rules, a schema) followed by `tools.<name>.args`. */
  userArgs: readonly string[];
  /** Files those settings name, label → absolute path, whose content is part of cache keys. */
  inputs?: Readonly<Record<string, string>>;
  /** The virtualenv whose packages the run reads, when not the tool's own; its packages are part of cache keys. */
  pythonEnvironment?: string;
  timeoutMs: number;
  cost: { startupMs: number; perFileMs: number };
  /**
   * Run as one task over every file, in order, as a direct run of the tool: set for a tool whose run stops at
   * broken input once it is known to stop (schedule/stopped-runs.ts), so that its report is the one the tool gives.
   */
  oneRun?: boolean;
  /** The tool's configuration names what it checks: no file operands (plan/targets.ts). */
  configured?: true;
}

/** A tool that took part in the scan, whether or not it got work: its row of the report. */
export interface ToolEntry {
  tool: ToolName;
  version: string | null;
  files: number;
  /** What the report should say about how the tool ran (an embedded build's limitations). */
  notes?: string[];
  /** Set when the tool never got work: why (not installed, skipped, no files). */
  preempted?: { status: ToolStatus; note: string };
}

/** Where a scan's files are, for planning its work. */
export interface WorkSource {
  /** The project (pyright takes the Python environment of its .venv). */
  root: string;
  /** Where the bytes being scanned live (an embedded tool reads the project's settings there). */
  contentRoot: string;
  selected: readonly string[];
  /** Every file of the project (whole-project tools see them all), listed once on first use. */
  allFiles: () => Promise<string[]>;
}

/** Each prepared tool's runs over the selected files: whole-project tools see every file of theirs when any of them is selected. */
export async function planWorks(tools: readonly PreparedTool[], source: WorkSource): Promise<{ works: ToolWork[]; entries: ToolEntry[] }> {
  const works: ToolWork[] = [];
  const entries: ToolEntry[] = [];
  for (const prepared of tools) {
    if (prepared.kind === "preempted") {
      entries.push({
        tool: prepared.name,
        version: prepared.version,
        files: 0,
        preempted: { status: prepared.status, note: prepared.note },
      });
      continue;
    }
    const { tool, override, program, name, version } = prepared;
    let files = filesForTool(tool, override, source.selected);
    if (tool.spec.scope === "whole-project" && files.length > 0) {
      // A change in one file can make code in another dead: the tool must see all of its inputs.
      files = filesForTool(tool, override, await source.allFiles());
    }
    const embedded = program.kind === "embedded" ? tool.driver.embedded : undefined;
    const notes = embedded ? await embedded.limitations(source.contentRoot, await source.allFiles(), override) : [];
    if (embedded) files = files.filter((file) => embedded.accepts(file));
    const runs = await toolRuns(tool, override, source.contentRoot, files, source.root);
    if (runs.length === 0) {
      const note = files.length === 0 ? "no files to scan" : `none of its ${files.length} files is covered by its settings (tools.${name})`;
      entries.push({ tool: name, version, files: 0, notes, preempted: { status: "skipped", note } });
      continue;
    }
    entries.push({ tool: name, version, files: new Set(runs.flatMap((run) => run.files)).size, notes });
    const declaration = tool.spec.package === null ? { declaration: override as Readonly<Record<string, unknown>> } : {};
    for (const run of runs) {
      works.push({
        tool: name,
        scope: tool.spec.scope,
        program,
        ...declaration,
        ...run,
        timeoutMs: (override.timeout ?? tool.spec.defaultTimeoutSec) * 1000,
        cost: embedded?.cost ?? tool.spec.cost,
      });
    }
  }
  return { works, entries };
}
