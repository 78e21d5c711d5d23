import { loadConfig } from "../config/load.js";
import { findProjectRoot } from "../config/project-root.js";
import { interruptedExitCode } from "../core/exit-codes.js";
import { consultDaemon } from "../daemon/client.js";
import { recordPass } from "../files/last-pass.js";
import { runPipeline } from "../pipeline/pipeline.js";
import { writeOutputs } from "../report/outputs.js";
import { redactCredentials } from "../text/redact.js";
import type { ScanOptions } from "./scan-options.js";

/**
 * `jackpool scan`: asks the project's daemon to finish the work it has under way (so nothing runs twice), then runs
 * the pipeline's stages (pipeline/pipeline.ts; docs/architecture.md draws them) and writes the report. Returns the
 * exit code: 0 clean, 1 findings, 2 could not do its job, 130/143 on SIGINT/SIGTERM. After each stage that waits, an
 * aborted `signal` (Ctrl-C) ends the scan there: no later stage starts.
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
  try {
    // The daemon only fills the memory this scan consults; whatever it answers, the scan then runs as always.
    if (config.memory.enabled && !options.noCache && !options.refresh)
      await consultDaemon({ root, configFile, config: config.daemon, log, note, signal });
    signal.throwIfAborted();
    const report = await runPipeline(options, { root, config, log, warn, started }, signal);
    // A pass of everything that changed (or of everything) moves the starting point of the next plain scan.
    if (report.exitCode === 0 && (options.selection.mode === "changed" || options.selection.mode === "all")) await recordPass(root);
    await writeOutputs(report, options.outputs, options.cwd, root);
    return report.exitCode;
  } catch (error) {
    // Interrupted: whatever a stage threw while stopping is the interrupt.
    if (signal.aborted) return interruptedExitCode(signal);
    throw error;
  }
}
