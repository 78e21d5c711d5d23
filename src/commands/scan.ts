import path from "node:path";
import { goneEntries, keepChangedLines, markReport } from "../baseline/apply.js";
import { readBaseline } from "../baseline/file.js";
import { holdAgainstBaseline } from "../baseline/held.js";
import { loadConfig } from "../config/load.js";
import { findProjectRoot } from "../config/project-root.js";
import { UserError } from "../core/errors.js";
import { interruptedExitCode } from "../core/exit-codes.js";
import { consultDaemon } from "../daemon/client.js";
import { changedLinesSince } from "../files/git-changes.js";
import { recordPass } from "../files/last-pass.js";
import { runPipeline } from "../pipeline/pipeline.js";
import { writeOutputs } from "../report/outputs.js";
import { redactCredentials } from "../text/redact.js";
import { finishBaseline } from "./baseline.js";
import type { ScanOptions } from "./scan-options.js";

/**
 * `jackpool scan`: asks the project's daemon to finish the work it has under way (so nothing runs twice), then runs
 * the pipeline's stages (pipeline/pipeline.ts; docs/architecture.md draws them), holds the report against the
 * baseline and writes it. Returns the exit code: 0 clean, 1 findings, 2 could not do its job, 130/143 on
 * SIGINT/SIGTERM. After each stage that waits, an aborted `signal` (Ctrl-C) ends the scan there: no later stage starts.
 */
export async function scan(options: ScanOptions, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  const log = (line: string): void => void (options.verbose && process.stderr.write(`${line}\n`));
  // Warnings survive --quiet: they say something is wrong, which progress output does not.
  const warn = (line: string): void => void process.stderr.write(`jackpool: warning: ${redactCredentials(line)}\n`);
  const note = (line: string): void => void process.stderr.write(`jackpool: ${redactCredentials(line)}\n`);
  const root = await findProjectRoot(options.cwd);
  const { file: configFile, pool_scanning: config } = await loadConfig(options.cwd, options.configFile);
  log(`project root: ${root}; config: ${configFile ?? "defaults (no .crackerjack.yaml)"}`);
  const baselineName = config.baseline.path;
  const baselineFile = path.resolve(root, baselineName);
  // A baseline file that cannot be trusted stops the scan before anything starts (exit 2), and nothing is written.
  const baseline = options.baseline ? await readBaseline(baselineFile, baselineName, root) : null;
  const action = options.baselineAction;
  if (action?.action === "create" && baseline !== null)
    throw new UserError(`baseline create: ${baselineName} exists; \`jackpool baseline update\` keeps it up to date (or delete it first)`);
  if (action?.action === "update" && baseline === null)
    throw new UserError(`baseline update: there is no ${baselineName} yet; \`jackpool baseline create\` writes it`);
  try {
    // The daemon only fills the memory this scan consults; whatever it answers, the scan then runs as always.
    if (config.memory.enabled && !options.noCache && !options.refresh)
      await consultDaemon({
        root,
        configFile,
        config: config.daemon,
        log,
        note,
        ...(process.stderr.isTTY === true && !options.quiet ? { progress: note } : {}),
        signal,
      });
    signal.throwIfAborted();
    return await runPipeline(
      options,
      { root, config, log, warn, started },
      signal,
      async ({ report: aggregated, contentRoot, selected }) => {
        let report = aggregated;
        if (action)
          return await finishBaseline(action, report, baseline?.entries() ?? null, {
            root,
            contentRoot,
            file: baselineFile,
            name: baselineName,
            signal,
          });
        if (baseline !== null) {
          const holding = performance.now();
          const held = await holdAgainstBaseline(baseline, report.findings, { root, contentRoot, baselineFile: baselineName, signal });
          const covered = options.selection.mode === "all" ? null : new Set(selected);
          const gone = await goneEntries(report, held.unmatched, held.renames, { selected: covered, root });
          report = markReport(report, held.fresh, gone, baselineName, config.baseline.fail_on_gone);
          log(
            `baseline ${baselineName}: ${report.summary.baselined} findings baselined, ${gone.length} gone, ${held.renames.size} renames, ${held.remembered ? "remembered" : "held"} in ${Math.round(performance.now() - holding)} ms`,
          );
        }
        if (options.changedLines && options.selection.mode === "since")
          report = keepChangedLines(report, await changedLinesSince(root, options.selection.ref, signal), options.selection.ref);
        // A pass of everything that changed (or of everything) moves the starting point of the next plain scan.
        if (report.exitCode === 0 && (options.selection.mode === "changed" || options.selection.mode === "all")) await recordPass(root);
        await writeOutputs(report, options.outputs, options.cwd, root, { showBaselined: options.showBaselined });
        return report.exitCode;
      },
    );
  } catch (error) {
    // Interrupted: whatever a stage threw while stopping is the interrupt.
    if (signal.aborted) return interruptedExitCode(signal);
    throw error;
  }
}
