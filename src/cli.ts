import { cac } from "cac";
import { optionsAsTyped } from "./cli/options.js";
import { cacheCommand } from "./commands/cache.js";
import { printConfig } from "./commands/config.js";
import { REMOTE_TASK_COMMAND, runRemoteTask } from "./backends/mahavishnu/remote-task-runner.js";
import { daemonCommand, type DaemonFlags } from "./commands/daemon.js";
import { installCommand } from "./commands/install.js";
import { poolsCommand } from "./commands/pools.js";
import { scan } from "./commands/scan.js";
import { checkBaselineAction } from "./commands/baseline.js";
import { toolsCommand, type ToolsFlags } from "./commands/tools.js";
import { uninstallCommand } from "./commands/uninstall.js";
import type { WorkersFlags } from "./commands/workers.js";
import { QUEUE_URL_VARIABLE } from "./backends/queue/url.js";
import type { Selection } from "./files/select.js";
import { exitCodeForSignal } from "./core/exit-codes.js";
import { FORMAT_NAMES } from "./report/formats/index.js";
import { redactCredentials } from "./text/redact.js";
import { oneLine } from "./text/printable.js";
import { parseOutputs } from "./report/outputs.js";
import { envSkips } from "./plan/env-skips.js";
import { BACKEND_MODES, type BackendMode } from "./backends/open.js";
import { UserError } from "./core/errors.js";
import { JACKPOOL_VERSION } from "./self/version.js";

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
  jobs?: string;
  maxChunkFiles?: string;
  /** An array when --format is repeated. */
  format?: string | string[];
  output?: string;
  config?: string;
  failFast?: boolean;
  skipMissing?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  /** What follows `--`: paths, even ones that look like options (pre-commit passes names as they are). */
  "--"?: string[];
  backend?: string;
  keepPool?: boolean;
  /** cac turns --no-baseline into baseline: false. */
  baseline?: boolean;
  showBaselined?: boolean;
  changedLines?: boolean;
}

interface BaselineFlags {
  acceptNew?: boolean;
  reason?: string;
  config?: string;
  jobs?: string;
  backend?: string;
  skipMissing?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

/** A comma-separated list option; `--tools` must name at least one tool. */
function list(value: string | undefined, flag: string, { nonEmpty = false } = {}): string[] | undefined {
  const items = value
    ?.split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (nonEmpty && items?.length === 0) throw new UserError(`${flag}: no tool named; expected a comma-separated list such as ruff,mypy`);
  return items;
}

function selectionOf(named: string[], flags: ScanFlags): Selection {
  const paths = [...named, ...(flags["--"] ?? [])];
  const chosen: [string, Selection][] = [];
  if (flags.all) chosen.push(["--all", { mode: "all" }]);
  if (flags.staged) chosen.push(["--staged", { mode: "staged" }]);
  if (flags.since !== undefined) chosen.push(["--since", { mode: "since", ref: flags.since }]);
  if (flags.lastCommit) chosen.push(["--last-commit", { mode: "last-commit" }]);
  if (paths.length > 0) chosen.push(["paths", { mode: "paths", paths, cwd: process.cwd() }]);
  if (chosen.length > 1) throw new UserError(`scan: ${chosen.map(([name]) => name).join(", ")} cannot be combined; choose one`);
  return chosen[0]?.[1] ?? { mode: "changed" };
}

/** A whole-number option's value, within its range. */
function countOf(option: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > max)
    throw new UserError(`${option}: expected an integer from 1 to ${max}, got "${value}"`);
  return count;
}

function backendOf(value: string | undefined): BackendMode {
  const mode = BACKEND_MODES.find((candidate) => candidate === (value ?? "auto"));
  if (mode === undefined) throw new UserError(`--backend: expected ${BACKEND_MODES.join(", ")}, got "${value}"`);
  return mode;
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
  .option("--max-chunk-files <n>", "Split per-file tools into tasks of at most <n> files each (the report is the same)")
  .option("--format <format[:file]>", `Report format: ${FORMAT_NAMES.join(", ")}; repeat with :file to write several`, { default: "text" })
  .option("--output <file>", "Write the report (the format without its own :file) to a file instead of stdout")
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .option("--fail-fast", "Stop at the first tool that reports findings or fails")
  .option("--skip-missing", "Do not fail when a configured tool is not installed")
  .option(
    "--backend <backend>",
    "Where tasks run: auto (queue workers when alive, else a Mahavishnu server when reachable), local, mahavishnu, or queue",
    { default: "auto" },
  )
  .option("--keep-pool", "Leave the Mahavishnu pools up after the scan; the next scan reuses them (found by pool.name)")
  .option("--no-baseline", "Report every finding, ignoring the baseline file")
  .option("--show-baselined", "Text report: list the findings the baseline accepts too")
  .option("--changed-lines", "With --since <ref>: report only findings on lines changed since <ref>")
  .option("--verbose", "Explain what is run and why, on stderr")
  .option("--quiet", "No progress output")
  .example("jackpool scan --all --format json --output report.json")
  .example("jackpool scan --all --format text --format sarif:jackpool.sarif --format junit:reports/junit.xml")
  .action(async (paths: string[], flags: ScanFlags) => {
    const skips = envSkips(process.env);
    if (skips.wholeScan) {
      // pre-commit's way to skip one hook for one commit: say so, and let the commit through.
      process.stderr.write("jackpool: scan skipped (SKIP=jackpool)\n");
      process.exitCode = 0;
      return;
    }
    if (flags.changedLines && flags.since === undefined) throw new UserError("--changed-lines goes with --since <ref>");
    process.exitCode = await scan(
      {
        cwd: process.cwd(),
        configFile: flags.config,
        selection: selectionOf(paths, flags),
        tools: list(flags.tools, "--tools", { nonEmpty: true }),
        skipTools: list(flags.skipTools, "--skip-tools"),
        skips,
        jobs: countOf("--jobs", flags.jobs, 1024),
        maxChunkFiles: countOf("--max-chunk-files", flags.maxChunkFiles, 1_000_000),
        outputs: parseOutputs(flags.format, flags.output, process.cwd()),
        failFast: flags.failFast === true,
        skipMissing: flags.skipMissing === true,
        noCache: flags.cache === false,
        refresh: flags.refresh === true,
        explain: flags.explain === true,
        verbose: flags.verbose === true,
        quiet: flags.quiet === true,
        backend: backendOf(flags.backend),
        keepPool: flags.keepPool === true,
        baseline: flags.baseline !== false,
        showBaselined: flags.showBaselined === true,
        changedLines: flags.changedLines === true,
      },
      controller.signal,
    );
  });
cli
  .command("baseline <action>", "Baseline file: create (accept every finding of a full scan) or update (drop gone entries)")
  .option("--accept-new", "update: add the findings not in the baseline too (needs --reason)")
  .option("--reason <text>", "update --accept-new: why they are accepted, recorded with each")
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .option("--jobs <n>", "Worker threads (default: CPU count within pool.min_workers..max_workers)")
  .option("--backend <backend>", "Where tasks run: auto, local, mahavishnu, or queue", { default: "auto" })
  .option("--skip-missing", "Do not fail when a configured tool is not installed")
  .option("--verbose", "Explain what is run and why, on stderr")
  .option("--quiet", "No progress output")
  .example("jackpool baseline create && git add .jackpool-baseline.json")
  .example('jackpool baseline update --accept-new --reason "vendored parser, not ours to fix"')
  .action(async (action: string, flags: BaselineFlags) => {
    const baselineAction = checkBaselineAction(action, flags.acceptNew === true, flags.reason);
    process.exitCode = await scan(
      {
        cwd: process.cwd(),
        configFile: flags.config,
        selection: { mode: "all" },
        skips: { shared: [], own: [] },
        jobs: countOf("--jobs", flags.jobs, 1024),
        outputs: [],
        failFast: false,
        skipMissing: flags.skipMissing === true,
        noCache: false,
        refresh: false,
        explain: false,
        verbose: flags.verbose === true,
        quiet: flags.quiet === true,
        backend: backendOf(flags.backend),
        keepPool: false,
        baseline: true,
        showBaselined: false,
        changedLines: false,
        baselineAction,
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
    process.exitCode = await cacheCommand(action, process.cwd(), flags.config, controller.signal);
  });
cli
  .command("pools <action>", "Mahavishnu pools at mcp_server_url: status (pool_health, pool_monitor), list, or close-all")
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .option("--format <format>", "text (tables) or json", { default: "text" })
  .action(async (action: string, flags: { config?: string; format: string }) => {
    process.exitCode = await poolsCommand(action, process.cwd(), { configFile: flags.config, format: flags.format });
  });
cli
  .command("install", "Install a git pre-commit hook that runs `jackpool scan --staged` (an existing hook is kept and runs first)")
  .action(async () => {
    process.exitCode = await installCommand(process.cwd());
  });
cli.command("uninstall", "Remove jackpool's pre-commit hook and put back the hook it chained").action(async () => {
  process.exitCode = await uninstallCommand(process.cwd());
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
cli
  .command("daemon <action>", "A per-project daemon that computes results ahead of the commit: start, stop, or status")
  .option("--config <file>", "start: config file (default: nearest .crackerjack.yaml)")
  .option("--json", "status: print the status as JSON")
  .action(async (action: string, flags: DaemonFlags) => {
    const code = await daemonCommand(action, flags, process.cwd(), controller.signal);
    // The daemon process itself ends here, whatever handle a library left open.
    if (action === "run") process.exit(code);
    process.exitCode = code;
  });
cli
  .command("worker", "Run tasks for scans on other machines, from a queue on Redis (BullMQ); needs only jackpool's tools")
  .option("--queue <url>", `The queue's Redis, redis://[user:password@]host:port/db or rediss:// (default: ${QUEUE_URL_VARIABLE})`)
  .option("--slots <n>", "Tasks at once (default: CPU count)")
  .option("--until-idle <seconds>", "Stop, exit 0, after this long without a task (from the start and from each task's end)")
  .example(`${QUEUE_URL_VARIABLE}=redis://queue.example:6379/0 jackpool worker`)
  .action(async (flags: { queue?: string; slots?: string; untilIdle?: string }) => {
    // Loaded only here, as workersCommand below: BullMQ and the Redis client would slow down every other command's start.
    const { workerCommand } = await import("./commands/worker.js");
    const untilIdle = countOf("--until-idle", flags.untilIdle, 7 * 24 * 3600);
    process.exitCode = await workerCommand(
      { queue: flags.queue, slots: countOf("--slots", flags.slots, 1024), ...(untilIdle === undefined ? {} : { untilIdleSec: untilIdle }) },
      controller.signal,
    );
    // The worker ends here, whatever handle a library left open (BullMQ's connections to a Redis that went away).
    process.exit();
  });
cli
  .command("workers <action>", "Queue workers: status (host, tool environment, slots, running task, age)")
  .option("--queue <url>", `The queue's Redis (default: ${QUEUE_URL_VARIABLE}, else pool_scanning.queue.url)`)
  .option("--config <file>", "Config file (default: nearest .crackerjack.yaml)")
  .option("--format <format>", "text (a table) or json", { default: "text" })
  .action(async (action: string, flags: WorkersFlags) => {
    const { workersCommand } = await import("./commands/workers.js");
    process.exitCode = await workersCommand(action, flags, process.cwd());
  });
cli.help();
cli.version(JACKPOOL_VERSION);

/** A user error is one line, however long what it quotes. */
const USER_ERROR_MAX_CHARS = 2000;

/** Prints why the command failed, in one line for the user's mistakes; a config's credentials never show (in a URL it quotes). */
function fail(error: unknown): void {
  const isUserError = error instanceof UserError || (error instanceof Error && error.name === "CACError");
  const text = isUserError
    ? oneLine((error as Error).message, USER_ERROR_MAX_CHARS)
    : `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`jackpool: ${redactCredentials(text)}\n`);
  process.exitCode = 2;
}

// Not top-level await: the single binary is a CommonJS bundle, where that is not allowed.
async function main(): Promise<void> {
  // A Mahavishnu worker running one task: not a user command, so not in --help.
  if (process.argv[2] === REMOTE_TASK_COMMAND && process.argv[3] !== undefined) {
    // Only when the runner cannot reach its exchange at all; jackpool then sees a runner that never started.
    return runRemoteTask(process.argv.slice(3)).catch((error: unknown) => {
      process.stderr.write(`jackpool ${REMOTE_TASK_COMMAND}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  }
  try {
    cli.parse(process.argv, { run: false });
    // cac finds the command; its options are read again as typed (cli-options.ts).
    if (cli.matchedCommand) cli.options = optionsAsTyped(cli.matchedCommand, cli.globalCommand.options, process.argv.slice(2));
    if (!cli.matchedCommand && cli.args.length > 0) throw new UserError(`unknown command "${cli.args[0]}" (see jackpool --help)`);
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) cli.outputHelp();
    await cli.runMatchedCommand();
  } catch (error) {
    fail(error);
  }
}

void main();
