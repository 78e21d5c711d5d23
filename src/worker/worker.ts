import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { Job } from "bullmq";
import { fetchBlobs } from "../backends/queue/blobs.js";
import { connectQueue } from "../backends/queue/connection.js";
import { BULL_PREFIX, CANCEL_CHANNEL, JOB_SCHEMA, cancelledKey, queueNameOf, type QueueJob } from "../backends/queue/protocol.js";
import {
  WORKER_BEAT_MS,
  liveWorkers,
  publishWorker,
  withdrawWorker,
  type RunningTask,
  type WorkerRecord,
} from "../backends/queue/registry.js";
import type { TaskOutcome } from "../core/outcome.js";
import { executeTask } from "../execute/execute-task.js";
import { jackpoolCacheDir } from "../self/cache-home.js";
import { loadBullmq } from "../self/worker-files.js";
import { counted } from "../text/counted.js";
import { redactCredentials } from "../text/redact.js";
import { isExecutable } from "../tools/python/environment.js";
import { forbiddenArgProblem } from "../tools/reading/option-reading.js";
import { builtinTool } from "../tools/registry.js";
import { BlobCache } from "./blob-cache.js";
import { TreeCache } from "./tree-cache.js";
import type { WorkerTools } from "./environment.js";

/**
 * A lock on a job lives this long unless its worker renews it (BullMQ renews it at half that): a worker killed
 * mid-task leaves a stalled job, which another worker's check, every STALLED_CHECK_MS, puts back on the queue.
 */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5000;
/** Stopping (closing BullMQ's worker, withdrawing the record, closing the connections) gets this long. */
const SHUTDOWN_MS = 5000;
/** A job this worker failed by its own fault goes back to the queue for this long, for another worker to take. */
const HAND_BACK_MS = 200;

/** What `jackpool worker` runs with. */
export interface QueueWorkerOptions {
  url: string;
  slots: number;
  tools: WorkerTools;
  log: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: the worker stops taking tasks, and its running ones go back to the queue. */
  signal: AbortSignal;
  /** When set, the worker stops by itself once it has had no task this long (from its start, or its last task's end). */
  idleMs?: number;
}

/** A job the worker will not run, whoever asks: it fails for good, and the scanning side runs the task itself. */
function refuse(why: string): never {
  throw new (loadBullmq().UnrecoverableError)(`refused: ${why}`);
}

/** The job's data, checked: its shape, its paths (inside the task's directory), its tool and arguments; its tree is checked when read (tree-cache.ts). */
function checkedJob(job: Job): QueueJob {
  const parsed = JOB_SCHEMA.safeParse(job.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    refuse(`${issue?.path.join(".") ?? "data"} ${issue?.message ?? "is malformed"}`);
  }
  const data = parsed.data;
  const tool = builtinTool(data.task.tool);
  if (!tool) refuse(`jackpool knows no built-in tool ${data.task.tool}`);
  for (const arg of data.task.userArgs) {
    const problem = forbiddenArgProblem(tool.spec.name, arg, tool.driver.forbiddenArgs, tool.driver.optionParser);
    if (problem !== undefined) refuse(`argument ${JSON.stringify(arg)}: ${problem}`);
  }
  return data;
}

/** The outcome with the task directory written as the scanning side's root: the paths a tool printed, mapped back. */
function mappedBack(outcome: TaskOutcome, dir: string, root: string): TaskOutcome {
  const quoted = (text: string): string => JSON.stringify(text).slice(1, -1);
  return JSON.parse(JSON.stringify(outcome).replaceAll(quoted(dir), quoted(root))) as TaskOutcome;
}

/**
 * `jackpool worker`: takes tasks from the queue of its tool environment (protocol.ts), runs each in a private
 * directory holding exactly the files it was shipped, and returns the outcome. Its record in Redis, renewed every
 * WORKER_BEAT_MS, is what scans and `jackpool workers status` see. It reconnects when Redis goes away. Resolves once
 * `signal` is aborted, or it was idle for `idleMs`, and the worker has stopped.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const { url, slots, tools, log, signal, idleMs } = options;
  const client = await connectQueue(url, "worker");
  const trees = new TreeCache(path.join(jackpoolCacheDir(), "queue-trees"), new BlobCache(path.join(jackpoolCacheDir(), "queue-blobs")));
  const id = randomUUID();
  const started = Date.now();
  const running = new Map<string, RunningTask & { scan: string; stop: AbortController }>();
  let lastBusy = started;
  let problem: string | null = null;
  client.on("error", (error: unknown) => {
    const message = redactCredentials(error instanceof Error ? error.message : String(error));
    if (message !== problem) log(`worker: the queue's Redis: ${message}; reconnecting`);
    problem = message;
  });
  client.on("ready", () => {
    if (problem !== null) log("worker: connected to the queue's Redis again");
    problem = null;
  });
  const record = (): WorkerRecord => ({
    id,
    host: os.hostname(),
    pid: process.pid,
    environment: tools.environment,
    environmentId: tools.id,
    slots,
    running: [...running.values()].map(({ task, tool, files, since }) => ({ task, tool, files, since })),
    started,
    uptimeMs: Date.now() - started,
  });
  const beat = (): Promise<void> => publishWorker(client, record()).catch(() => undefined);

  // Cancellation: a scan publishes its id; every task of it stops within the time the message takes.
  const subscriber = client.duplicate();
  subscriber.on("error", () => undefined); // the main client reports Redis trouble
  await subscriber.connect();
  await subscriber.subscribe(CANCEL_CHANNEL, (scan: string) => {
    for (const task of running.values()) if (task.scan === scan) task.stop.abort("cancelled by the scan");
  });

  const process_ = async (job: Job, token?: string, jobSignal?: AbortSignal): Promise<TaskOutcome> => {
    const data = checkedJob(job);
    if (data.avoid?.includes(id)) {
      // Failed here before by this worker's fault: another live worker of the environment takes it, if there is one.
      const others = (await liveWorkers(client)).filter((worker) => worker.environmentId === tools.id && !data.avoid?.includes(worker.id));
      if (others.length === 0)
        throw new (loadBullmq().UnrecoverableError)("every live worker that could run it failed it by a fault of its own");
      await job.moveToDelayed(Date.now() + HAND_BACK_MS, token);
      throw new (loadBullmq().DelayedError)();
    }
    // This worker's fault (disk full, a tool gone), not the task's: noted in the job, so its retry is another worker's.
    const fault = async (message: string): Promise<never> => {
      log(`worker: ${data.task.id} failed here: ${message}`);
      await job.updateData({ ...data, avoid: [...(data.avoid ?? []), id] }).catch(() => undefined);
      throw new Error(message);
    };
    const own = tools.programs.get(data.task.tool);
    if (!own || own.identity.version !== data.task.toolVersion || (data.task.python !== null && own.identity.python !== data.task.python))
      return fault(`this worker has no ${data.task.tool} ${data.task.toolVersion}`);
    if (own.program.kind === "process" && !(await isExecutable(own.program.executable)))
      return fault(`its ${data.task.tool} is gone: ${own.program.executable}`);
    if ((await client.exists(cancelledKey(data.scan))) > 0) return { kind: "cancelled" };
    const stop = new AbortController();
    const key = `${job.id ?? ""}`;
    running.set(key, { task: data.task.id, tool: data.task.tool, files: data.task.files.length, since: Date.now(), scan: data.scan, stop });
    jobSignal?.addEventListener("abort", () => stop.abort("worker stopping"), { once: true });
    signal.addEventListener("abort", () => stop.abort("worker stopping"), { once: true });
    void beat();
    let held: { dir: string; fetched: number; release: () => void } | undefined;
    try {
      const received = performance.now();
      const fetch = (hashes: string[]): Promise<Map<string, Buffer>> => fetchBlobs(client, hashes);
      const tree = await trees.read(data.tree, fetch);
      if (typeof tree === "string") refuse(tree);
      const paths = new Set(tree.files.map(([file]) => file));
      for (const file of data.task.files) if (!paths.has(file)) refuse(`${file} is named but not in its tree`);
      held = await trees.acquire(data.tree, tree, fetch);
      const ready = performance.now();
      const outcome = await executeTask(
        {
          id: data.task.id,
          tool: data.task.tool,
          program: own.program,
          files: data.task.files,
          ...(data.task.configured ? { configured: true as const } : {}),
          userArgs: data.task.userArgs,
          cwd: held.dir,
          timeoutMs: data.task.timeoutMs,
          estimatedMs: 0,
        },
        { signal: stop.signal },
      );
      // Stopped because this worker is stopping: the task is not cancelled, it goes back to the queue for another.
      if (outcome.kind === "cancelled" && stop.signal.reason === "worker stopping") throw new Error("the worker stopped");
      if (outcome.kind === "not-installed" || outcome.kind === "backend-error") throw new Error(outcome.message);
      const [prepared, ran] = [ready - received, performance.now() - ready].map(Math.round);
      log(
        `worker: ${data.task.id} of scan ${data.scan.slice(0, 8)}: ${outcome.kind}, tree of ${tree.files.length} files, ${held.fetched} fetched, laid out in ${prepared} ms, ran in ${ran} ms`,
      );
      return mappedBack(outcome, held.dir, data.root);
    } catch (error) {
      if (error instanceof loadBullmq().UnrecoverableError || signal.aborted) throw error;
      return await fault(error instanceof Error ? error.message : String(error));
    } finally {
      running.delete(key);
      lastBusy = Date.now();
      void beat();
      held?.release();
    }
  };
  const worker = new (loadBullmq().Worker)(queueNameOf(tools.id), process_, {
    connection: client,
    prefix: BULL_PREFIX,
    concurrency: slots,
    lockDuration: LOCK_MS,
    stalledInterval: STALLED_CHECK_MS,
    maxStalledCount: 3,
    name: `${os.hostname()}:${process.pid}`,
  });
  worker.on("error", () => undefined); // the client's own error handler says it, once per cause
  await beat();
  const beating = setInterval(() => void beat(), WORKER_BEAT_MS);
  log(
    `worker: ${counted(slots, "slot")} on ${redactCredentials(url)}, environment ${tools.id} (${Object.keys(tools.environment.tools).length} tools, jackpool ${tools.environment.jackpool})`,
  );
  const idle = await new Promise<boolean>((resolve) => {
    if (signal.aborted) resolve(false);
    else signal.addEventListener("abort", () => resolve(false), { once: true });
    if (idleMs === undefined) return;
    const watch = setInterval(
      () => {
        if (running.size > 0 || Date.now() - lastBusy < idleMs) return;
        clearInterval(watch);
        log(`worker: no task for ${Math.round(idleMs / 1000)} s; stopping`);
        resolve(true);
      },
      Math.min(1000, idleMs),
    );
    signal.addEventListener("abort", () => clearInterval(watch), { once: true });
  });
  clearInterval(beating);
  const closing = worker.close().catch(() => undefined); // takes no more jobs at once
  // Interrupted, the running tasks were stopped by the signal and go back to the queue. Idle, a task taken just as the
  // worker decided to stop runs to its end here, not within the bound below (a SIGTERM meanwhile stops it).
  while (idle && running.size > 0 && !signal.aborted) await new Promise((resolve) => setTimeout(resolve, 100));
  // The rest talks to Redis, which may be away (a worker reconnects for ever): bounded, so a stop is never held up by
  // it. What is left undone fixes itself: the record expires, a job whose lock lapses is taken again.
  const closed = (async () => {
    await closing;
    await withdrawWorker(client, id).catch(() => undefined);
    await subscriber.close().catch(() => undefined);
    await client.close().catch(() => undefined);
  })();
  let deadline: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((resolve) => (deadline = setTimeout(resolve, SHUTDOWN_MS)))]);
  clearTimeout(deadline);
  for (const connection of [subscriber, client]) if (connection.isOpen) connection.destroy();
}
