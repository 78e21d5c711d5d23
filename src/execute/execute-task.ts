import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { TaskOutcome } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import { oneLine } from "../text/printable.js";
import { toolOfTask } from "../tools/registry.js";
import { killGroup } from "./process-group.js";
import { runEmbedded } from "./run-embedded.js";
import { CANNOT_START, gated, openGate, releaseGroup, startWatchdog, watchGroup } from "./watchdog.js";

/** Output beyond this is a tool error rather than an out-of-memory crash. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;
/** Enough stderr to explain a failure without shipping megabytes across threads. */
const STDERR_KEPT_CHARS = 8 * 1024;
/** A tool error's message quotes the tool's output (a line jackpool did not understand, its stderr): one report line of at most this. */
const MESSAGE_MAX_CHARS = 2000;

/**
 * Environment for tools: plain, uncoloured, UTF-8 output whatever the user's terminal settings; and the tool's own
 * directory first on PATH, as if its virtualenv were activated, so it finds the programs installed beside it
 * (skylos checks dead code with the ripgrep of its environment: without it, its search may run out of time).
 */
function toolEnvironment(executable: string): NodeJS.ProcessEnv {
  const PATH = [path.dirname(executable), process.env.PATH].filter(Boolean).join(path.delimiter);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH, NO_COLOR: "1", PYTHONIOENCODING: "utf-8" };
  delete env.FORCE_COLOR;
  delete env.CLICOLOR_FORCE;
  return env;
}

/** How the caller follows and stops a task. */
export interface TaskControls {
  /** Called with the tool's pid right after it is spawned (so its group can be killed if this thread dies). */
  onSpawn?: (pid: number) => void;
  /** Aborting kills the tool's process group; the task then ends as cancelled. */
  signal?: AbortSignal;
}

/**
 * Runs one task to completion and turns whatever happens into a TaskOutcome; never throws for tool trouble.
 * The tool runs in its own process group so a timeout kills everything it started.
 */
export async function executeTask(task: Task, controls: TaskControls = {}): Promise<TaskOutcome> {
  const driver = toolOfTask(task)?.driver;
  if (!driver) return { kind: "backend-error", message: `jackpool knows no tool ${task.tool}` };
  if (task.program.kind === "embedded") {
    return driver.embedded
      ? runEmbedded(driver.embedded, task, controls.signal)
      : { kind: "backend-error", message: `${task.tool} has no embedded build` };
  }
  const { executable } = task.program;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const taskDir = await mkdtemp(path.join(os.tmpdir(), "jackpool-task-"));
  try {
    if (controls.signal?.aborted) return { kind: "cancelled" };
    const context = { taskDir, userArgs: task.userArgs };
    try {
      await driver.stage?.(task.files, { ...context, cwd: task.cwd });
    } catch (error) {
      return {
        kind: "tool-error",
        exitCode: null,
        message: `could not prepare its input: ${String(error)}`,
        stderr: "",
        durationMs: elapsed(),
      };
    }
    // A tool whose own configuration names what it checks gets no file operands (plan/targets.ts).
    const args = driver.buildArgs(task.configured ? [] : task.files, context);
    const [program = executable, ...leading] = (await driver.launcher?.(executable)) ?? [executable];
    startWatchdog();
    const [shell, gatedArgs] = gated(program, [...leading, ...args]);
    const child = execa(shell, gatedArgs, {
      cwd: task.cwd,
      env: { ...toolEnvironment(executable), ...driver.environment?.(context) },
      extendEnv: false,
      stdin: "pipe",
      detached: true,
      reject: false,
      stripFinalNewline: false,
      maxBuffer: MAX_OUTPUT_BYTES,
    });
    let stopped: "timeout" | "cancelled" | undefined;
    const stop = (why: "timeout" | "cancelled"): void => {
      stopped ??= why;
      if (child.pid !== undefined) void killGroup(child.pid);
    };
    const timer = setTimeout(() => stop("timeout"), task.timeoutMs);
    const onCancel = (): void => stop("cancelled");
    controls.signal?.addEventListener("abort", onCancel, { once: true });
    // An abort while the task was staged or its launcher looked up fired before the listener existed.
    if (controls.signal?.aborted) onCancel();
    if (child.pid !== undefined) {
      controls.onSpawn?.(child.pid);
      await watchGroup(child.pid);
    }
    openGate(child.stdin);
    const result = await child;
    if (child.pid !== undefined) releaseGroup(child.pid);
    clearTimeout(timer);
    controls.signal?.removeEventListener("abort", onCancel);
    if (stopped === "cancelled") return { kind: "cancelled" };
    if (stopped === "timeout") return { kind: "timeout", timeoutMs: task.timeoutMs, durationMs: elapsed() };
    const stderr = result.stderr.slice(-STDERR_KEPT_CHARS);
    if (result.isMaxBuffer) {
      return {
        kind: "tool-error",
        exitCode: null,
        message: `printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB`,
        stderr,
        durationMs: elapsed(),
      };
    }
    if (result.exitCode === 127 && result.stderr.startsWith(CANNOT_START)) {
      return {
        kind: "tool-error",
        exitCode: null,
        message: oneLine(result.stderr.trim(), MESSAGE_MAX_CHARS),
        stderr,
        durationMs: elapsed(),
      };
    }
    if (result.exitCode === undefined) {
      const why = result.signal ? `was killed by ${result.signal}` : `could not start: ${result.originalMessage}`;
      return { kind: "tool-error", exitCode: null, message: why, stderr, durationMs: elapsed() };
    }
    const parsed = await driver.parse({
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      cwd: task.cwd,
      taskDir,
      args,
    });
    if (parsed.kind === "tool-error") {
      return {
        kind: "tool-error",
        exitCode: result.exitCode,
        message: oneLine(parsed.message, MESSAGE_MAX_CHARS),
        stderr,
        durationMs: elapsed(),
      };
    }
    return {
      kind: "completed",
      findings: parsed.findings,
      durationMs: elapsed(),
      ...(parsed.coverage ? { coverage: parsed.coverage } : {}),
    };
  } finally {
    await rm(taskDir, { recursive: true, force: true });
  }
}
