import { asOperand } from "../tools/reading/project-path.js";
import type { ToolWork } from "./work.js";
import type { Task } from "../core/task.js";
import { PlanError } from "../core/errors.js";

/** What the distributor must respect. */
export interface DistributionLimits {
  workers: number;
  /** Bytes of argv (arguments plus separators) one command may use. */
  maxArgBytes: number;
  /** At most this many files in one task of a per-file tool (`--max-chunk-files`: to test fidelity across chunks). */
  maxChunkFiles?: number;
}

// Linux allows 2 MiB of argv plus environment, macOS 1 MiB, Windows 32 K characters: leave room for the environment.
/** A safe argv budget for this operating system. */
export function defaultMaxArgBytes(platform: NodeJS.Platform = process.platform): number {
  if (platform === "win32") return 30_000;
  if (platform === "darwin") return 512 * 1024;
  return 1024 * 1024;
}

// Headroom for the executable path and the adapter's own fixed options.
const FIXED_ARGV_BYTES = 4096;
// A chunk should do at least this many times its start-up cost in real work, or splitting costs more than it saves.
const MIN_WORK_PER_STARTUP = 4;
// Chunks no bigger than half a worker's fair share let the slowest-first order even out the tail.
const CHUNKS_PER_SHARE = 2;

function argBytes(args: readonly string[]): number {
  return args.reduce((sum, arg) => sum + Buffer.byteLength(arg) + 1, 0);
}

function estimate(work: ToolWork, files: number): number {
  return work.cost.startupMs + work.cost.perFileMs * files;
}

/** Splits `files` into `count` contiguous chunks of near-equal size (neighbouring files share imports). */
function splitEvenly(files: readonly string[], count: number): string[][] {
  const chunks: string[][] = [];
  for (let index = 0; index < count; index++) {
    const start = Math.round((index * files.length) / count);
    const end = Math.round(((index + 1) * files.length) / count);
    chunks.push(files.slice(start, end));
  }
  return chunks;
}

/** Further splits any chunk whose command line would exceed the budget. */
function fitToArgv(chunk: string[], budget: number): string[][] {
  const pieces: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const file of chunk) {
    const size = argBytes([asOperand(file)]);
    if (current.length > 0 && bytes + size > budget) {
      pieces.push(current);
      current = [];
      bytes = 0;
    }
    current.push(file);
    bytes += size;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

/** How many chunks a per-file tool's files should go into. */
function chunkCount(work: ToolWork, fairShareMs: number): number {
  const variableMs = work.cost.perFileMs * work.files.length;
  const forBalance = Math.ceil((variableMs * CHUNKS_PER_SHARE) / Math.max(fairShareMs, 1));
  const forStartup = Math.max(1, Math.floor(variableMs / (MIN_WORK_PER_STARTUP * Math.max(work.cost.startupMs, 1))));
  return Math.max(1, Math.min(forBalance, forStartup, work.files.length));
}

/**
 * Pure: turns tools × files (under the absolute project `root`) into tasks, slowest first. Per-file tools are chunked so every worker stays busy
 * without paying start-up cost for nothing; whole-project tools get one task with every file.
 */
export function distribute(root: string, works: readonly ToolWork[], limits: DistributionLimits): Task[] {
  const active = works.filter((work) => work.files.length > 0);
  const totalMs = active.reduce((sum, work) => sum + estimate(work, work.files.length), 0);
  const fairShareMs = totalMs / Math.max(limits.workers, 1);
  const tasks: Task[] = [];
  for (const work of active) {
    const budget = limits.maxArgBytes - FIXED_ARGV_BYTES - argBytes(work.userArgs);
    let chunks: string[][];
    if (work.scope === "whole-project" || work.oneRun) {
      const files = [...work.files];
      const bytes = argBytes(files.map(asOperand));
      if (bytes > budget) {
        throw new PlanError(
          `${work.tool}: ${files.length} files need ${bytes} bytes of command line, more than the ${budget} this system allows; narrow the scan with paths or pool_scanning.exclude`,
        );
      }
      chunks = [files];
    } else {
      const count = Math.max(chunkCount(work, fairShareMs), Math.ceil(work.files.length / (limits.maxChunkFiles ?? Infinity)));
      chunks = splitEvenly(work.files, count).flatMap((chunk) => fitToArgv(chunk, budget));
    }
    for (const files of chunks) {
      tasks.push({
        id: work.tool,
        tool: work.tool,
        program: work.program,
        ...(work.declaration ? { declaration: work.declaration } : {}),
        files,
        userArgs: [...work.userArgs],
        ...(work.configured ? { configured: true as const } : {}),
        cwd: root,
        timeoutMs: work.timeoutMs,
        estimatedMs: estimate(work, files.length),
      });
    }
  }
  // A tool with several tasks (chunks, or one run per check-jsonschema schema) numbers them: `ruff#2`.
  for (const tool of new Set(tasks.map((task) => task.tool))) {
    const own = tasks.filter((task) => task.tool === tool);
    if (own.length > 1) own.forEach((task, index) => (task.id = `${tool}#${index + 1}`));
  }
  // Longest first (LPT): the big tasks start at once and the small ones fill the gaps at the end.
  return tasks.sort((a, b) => b.estimatedMs - a.estimatedMs);
}
