import { cac } from "cac";
import { cacheCommand } from "./commands/cache.js";
import { printConfig } from "./commands/config.js";
import { scan } from "./commands/scan.js";
import { toolsCommand, type ToolsFlags } from "./commands/tools.js";
import type { Selection } from "./files/select.js";
import { exitCodeForSignal } from "./interrupt.js";
import { reportFormat } from "./report/format-option.js";
import { UserError } from "./user-error.js";
import { JACKPOOL_VERSION } from "./version.js";

interface ScanFlags {
  all?: boolean;
  staged?: boolean;
  since?: string;
  lastCommit?: boolean;
  /** cac turns --no-cache into cache: false. */
  cache?: boolean;
  refresh?: boolean;
  explain?: boolean;
  tools?: string;
  skipTools?: string;
  jobs?: number | string;
  format?: string;
  output?: string;
  config?: string;
  failFast?: boolean;
  skipMissing?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : String(value).split(",").map((item) => item.trim()).filter(Boolean);
}

function selectionOf(paths: string[], flags: ScanFlags): Selection {
  const chosen: [string, Selection][] = [];
  if (flags.all) chosen.push(["--all", { mode: "all" }]);
  if (flags.staged) chosen.push(["--staged", { mode: "staged" }]);
  if (flags.since !== undefined) chosen.push(["--since", { mode: "since", ref: String(flags.since) }]);
  if (flags.lastCommit) chosen.push(["--last-commit", { mode: "last-commit" }]);
  if (paths.length > 0) chosen.push(["paths", { mode: "paths", paths, cwd: process.cwd() }]);
  if (chosen.length > 1) throw new UserError(`scan: ${chosen.map(([name]) => name).join(", ")} cannot be combined; choose one`);
  return chosen[0]?.[1] ?? { mode: "changed" };
}

function jobsOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024) throw new UserError(`--jobs: expected an integer from 1 to 1024, got "${value}"`);
  return jobs;
}

// One AbortController per run: Ctrl-C aborts it and everything below stops and kills its processes.
const controller = new AbortController();
let interrupts = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupts++;
    if (interrupts > 1) process.exit(exitCodeForSignal(signal)); // a second Ctrl-C: stop waiting for clean-up
    process.stderr.write(`\njackpool: ${signal === "SIGINT" ? "interrupted" : "terminated"}, stopping tools\n`);
    controller.abort(signal);
  });
}

const cli = cac("jackpool");
cli
  .command("scan [...paths]", "Run the configured tools on changed files (or --all, or the given paths)")
  .option("--all", "Scan every tracked file")
  .option("--staged", "Scan what is staged for commit (the index content, not the work tree)")
  .option("--since <ref>", "Scan files changed since the merge-base of <ref> and HEAD, plus work-tree changes")
  .option("--last-commit", "Scan the files the last commit changed")
  .option("--no-cache", "Neither read nor write the memory cache")
  .option("--refresh", "Re-run every tool and overwrite the memory cache")
  .option("--explain", "Say for each tool and file why it was a cache hit or miss (stderr)")
  .option("--tools <names>", "Only these tools (comma-separated)")
  .option("--skip-tools <names>", "Leave out these tools (comma-separated)")
  .option("--jobs <n>", "Worker threads (default: CPU count within pool.min_workers..max_workers)")
  .option("--format <format>", "Report format: text or json", { default: "text" })
  .option("--output <file>", "Write the report to a file instead of stdout")
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .option("--fail-fast", "Stop at the first tool that reports findings or fails")
  .option("--skip-missing", "Do not fail when a configured tool is not installed")
  .option("--verbose", "Explain what is run and why, on stderr")
  .option("--quiet", "No progress output")
  .example("jackpool scan --all --format json --output report.json")
  .action(async (paths: string[], flags: ScanFlags) => {
    process.exitCode = await scan(
      {
        cwd: process.cwd(),
        configFile: flags.config,
        selection: selectionOf(paths, flags),
        tools: list(flags.tools),
        skipTools: list(flags.skipTools),
        jobs: jobsOf(flags.jobs),
        format: reportFormat(flags.format),
        output: flags.output,
        failFast: flags.failFast === true,
        skipMissing: flags.skipMissing === true,
        noCache: flags.cache === false,
        refresh: flags.refresh === true,
        explain: flags.explain === true,
        verbose: flags.verbose === true,
        quiet: flags.quiet === true,
      },
      controller.signal,
    );
  });
cli
  .command("config", "Print the resolved pool_scanning configuration")
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .action(async (flags: { config?: string }) => {
    process.exitCode = await printConfig(process.cwd(), flags.config);
  });
cli
  .command("cache <action>", "Memory cache: stats, clear, or gc (drop expired entries)")
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .action(async (action: string, flags: { config?: string }) => {
    process.exitCode = await cacheCommand(action, process.cwd(), flags.config);
  });
cli
  .command("tools <action>", "Pinned tools: install (managed environment), download (fill a wheelhouse), or list")
  .option("--python <python>", "install/download: the Python to build the environment from (default: python3 on PATH)")
  .option("--offline", "install: no network; packages from --wheelhouse only")
  .option("--wheelhouse <dir>", "install: also find packages here; download: where to put them")
  .option("--format <format>", "list: text or json")
  .option("--config <file>", "list: config file (default: nearest .crackerjack.yaml)")
  .example("jackpool tools download --wheelhouse wheels && jackpool tools install --offline --wheelhouse wheels")
  .action(async (action: string, flags: ToolsFlags) => {
    process.exitCode = await toolsCommand(action, flags, process.cwd(), controller.signal);
  });
cli.help();
cli.version(JACKPOOL_VERSION);

function fail(error: unknown): void {
  const isUserError = error instanceof UserError || (error instanceof Error && error.name === "CACError");
  process.stderr.write(isUserError ? `jackpool: ${(error as Error).message}\n` : `jackpool: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
}

// Not top-level await: the single binary is a CommonJS bundle, where that is not allowed.
async function main(): Promise<void> {
  try {
    cli.parse(process.argv, { run: false });
    if (!cli.matchedCommand && cli.args.length > 0) throw new UserError(`unknown command "${cli.args[0]}" (see jackpool --help)`);
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) cli.outputHelp();
    await cli.runMatchedCommand();
  } catch (error) {
    fail(error);
  }
}

void main();
