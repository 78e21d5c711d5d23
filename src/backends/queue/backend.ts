import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RedisClientType } from "@redis/client";
import type { Job, Queue, QueueEvents } from "bullmq";
import type { TaskOutcome } from "../../core/outcome.js";
import type { Shipment, ShipmentOf } from "../../core/shipment.js";
import type { Task } from "../../core/task.js";
import { JACKPOOL_VERSION } from "../../self/version.js";
import { loadBullmq } from "../../self/worker-files.js";
import { redactCredentials } from "../../text/redact.js";
import type { Backend, RunOptions } from "../backend.js";
import type { FallibleBackend } from "../fallback.js";
import { missingBlobs, sha256, uploadBlobs } from "./blobs.js";
import { connectQueue } from "./connection.js";
import { BULL_PREFIX, CANCEL_CHANNEL, cancelledKey, queueNameOf, type QueueJob } from "./protocol.js";
import { liveWorkers, type WorkerRecord } from "./registry.js";

/** How often the list of live workers is read again while a scan adds tasks. */
const WORKERS_REFRESH_MS = 2000;
/** A scan's cancellation stays readable this long, for a worker that takes one of its jobs later. */
const CANCELLED_TTL_MS = 10 * 60_000;
/** A job that failed on a worker (the worker's fault) is tried this many times in all, on whichever workers take it. */
const JOB_ATTEMPTS = 3;

/** What the queue backend needs from the scan. */
export interface QueueBackendOptions {
  url: string;
  /** Each task's shipment, known once the plan is made (the backend is opened before). */
  shipmentOf: Promise<ShipmentOf>;
  /** The local pool: tasks that stay, and tasks no live worker can run. */
  local: () => Backend;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/** A worker environment that can run a shipment: same jackpool, same tool version, same Python. */
function canRun(worker: WorkerRecord, task: Task, shipment: Extract<Shipment, { kind: "ship" }>): boolean {
  const tool = worker.environment.tools[task.tool];
  return (
    worker.environment.jackpool === JACKPOOL_VERSION &&
    tool?.version === shipment.toolVersion &&
    (shipment.python === null || tool.python === shipment.python)
  );
}

/** A BullMQ queue of one worker environment, with the events its jobs' ends arrive by. */
interface EnvironmentQueue {
  queue: Queue;
  events: QueueEvents;
  ready: Promise<unknown>;
}

/**
 * Runs tasks on `jackpool worker`s anywhere, through BullMQ on a Redis (README, "Workers on other machines"). A task
 * goes to the queue of a live worker environment that has its tool at the version its results are keyed by; its files
 * go by content, uploaded only when Redis lacks them. Tasks that cannot leave this machine, and tasks no live worker
 * can run, run on the local pool, said once per tool. Trouble with Redis or a job the workers gave up on comes back as
 * a `backend-error`, which FallbackBackend turns into a run on the local pool.
 */
export class QueueBackend implements FallibleBackend {
  readonly name: string;
  readonly concurrency: number;
  available = true;
  unavailableReason = "";
  private readonly scan = randomUUID();
  private readonly queues = new Map<string, EnvironmentQueue>();
  private readonly hashes = new Map<string, Promise<string | null>>();
  private readonly said = new Set<string>();
  private readonly waiting = new Set<(reason: string) => void>();
  private workers: { read: number; list: WorkerRecord[] };
  private priority = 0;
  private closed = false;

  private constructor(
    private readonly client: RedisClientType,
    private readonly options: QueueBackendOptions,
    workers: WorkerRecord[],
    localConcurrency: number,
  ) {
    this.workers = { read: Date.now(), list: workers };
    this.name = `queue at ${redactCredentials(options.url)}`;
    this.concurrency = workers.reduce((sum, worker) => sum + worker.slots, 0) + localConcurrency;
    client.on("error", (error: unknown) =>
      this.lose(`the queue's Redis went away (${error instanceof Error ? error.message : String(error)})`),
    );
  }

  /**
   * Connects and reads the live workers; throws a one-line error when Redis cannot be reached, and returns null when no
   * worker is alive (the scan then runs as if there were no queue).
   */
  static async open(options: QueueBackendOptions, localConcurrency: number): Promise<QueueBackend | null> {
    const client = await connectQueue(options.url, "scanner");
    const workers = await liveWorkers(client).catch(async (error: unknown) => {
      await client.close().catch(() => undefined);
      throw error;
    });
    if (workers.length === 0) {
      await client.close().catch(() => undefined);
      return null;
    }
    return new QueueBackend(client, options, workers, localConcurrency);
  }

  /** Every task waiting on a job ends now, as a backend error, and later tasks go local. */
  private lose(reason: string): void {
    if (!this.available || this.closed) return;
    this.available = false;
    this.unavailableReason = redactCredentials(reason);
    for (const fail of this.waiting) fail(this.unavailableReason);
  }

  private async liveWorkers(): Promise<WorkerRecord[]> {
    if (Date.now() - this.workers.read > WORKERS_REFRESH_MS) this.workers = { read: Date.now(), list: await liveWorkers(this.client) };
    return this.workers.list;
  }

  private sayOnce(key: string, line: string, say: (line: string) => void): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    say(line);
  }

  private queueOf(environment: string): EnvironmentQueue {
    let known = this.queues.get(environment);
    if (!known) {
      const { Queue, QueueEvents } = loadBullmq();
      const connection = { connection: this.client, prefix: BULL_PREFIX };
      const queue = new Queue(queueNameOf(environment), connection);
      const events = new QueueEvents(queueNameOf(environment), { ...connection, autorun: true });
      queue.on("error", () => undefined); // the client's own "error" says it once (lose)
      events.on("error", () => undefined);
      known = { queue, events, ready: Promise.all([queue.waitUntilReady(), events.waitUntilReady()]) };
      this.queues.set(environment, known);
    }
    return known;
  }

  /** The content hash of a file as this scan first read it; null when it cannot be read (the tool will not see it either). */
  private hashOf(root: string, file: string): Promise<string | null> {
    const absolute = path.join(root, file);
    let known = this.hashes.get(absolute);
    if (!known) {
      known = readFile(absolute).then(sha256, () => null);
      this.hashes.set(absolute, known);
    }
    return known;
  }

  /** The task's tree by content, with every blob Redis lacked uploaded: one round trip to ask, one to upload. */
  private async ship(task: Task, files: readonly string[]): Promise<[string, string][]> {
    const tree: [string, string][] = [];
    for (const [index, hash] of (await Promise.all(files.map((file) => this.hashOf(task.cwd, file)))).entries())
      if (hash !== null) tree.push([files[index] ?? "", hash]);
    const missing = new Set(await missingBlobs(this.client, [...new Set(tree.map(([, hash]) => hash))]));
    const blobs = new Map<string, Uint8Array>();
    for (const [file, hash] of tree) {
      if (!missing.has(hash) || blobs.has(hash)) continue;
      const bytes = await readFile(path.join(task.cwd, file));
      // Changed since it was hashed: the task is shipped with what it was planned on, or not at all.
      if (sha256(bytes) !== hash) throw new Error(`${file} changed during the scan`);
      blobs.set(hash, bytes);
    }
    await uploadBlobs(this.client, blobs);
    return tree;
  }

  async run(task: Task, options: RunOptions): Promise<TaskOutcome> {
    const priority = ++this.priority; // taken before any wait: the scheduler hands tasks over slowest first
    const shipment = await (await this.options.shipmentOf)(task);
    if (shipment.kind === "stay") {
      this.sayOnce(`stay:${task.tool}`, `queue: ${task.tool} runs here: ${shipment.because}`, this.options.log);
      return this.options.local().run(task, options);
    }
    if (!this.available) return { kind: "backend-error", message: this.unavailableReason };
    try {
      const worker = (await this.liveWorkers()).find((candidate) => canRun(candidate, task, shipment));
      if (!worker) {
        const python = shipment.python === null ? "" : ` (Python ${shipment.python})`;
        this.sayOnce(
          `none:${task.tool}`,
          `queue: no live worker has ${task.tool} ${shipment.toolVersion}${python} with jackpool ${JACKPOOL_VERSION}; ${task.tool} runs on the local pool`,
          this.options.warn,
        );
        return await this.options.local().run(task, options);
      }
      const tree = await this.ship(task, shipment.files);
      const data: QueueJob = {
        scan: this.scan,
        task: {
          id: task.id,
          tool: task.tool,
          toolVersion: shipment.toolVersion,
          python: shipment.python,
          files: task.files,
          ...(task.configured ? { configured: true as const } : {}),
          userArgs: task.userArgs,
          timeoutMs: task.timeoutMs,
        },
        tree,
        root: task.cwd,
      };
      const environment = this.queueOf(worker.environmentId);
      await environment.ready;
      options.signal.throwIfAborted();
      const job = await environment.queue.add(task.id, data, {
        priority,
        attempts: JOB_ATTEMPTS,
        backoff: { type: "fixed", delay: 200 },
        removeOnComplete: { age: 600 },
        removeOnFail: { age: 3600 },
      });
      return await this.outcomeOf(job, environment, options);
    } catch (error) {
      if (options.signal.aborted) return { kind: "cancelled" };
      return { kind: "backend-error", message: `queue: ${redactCredentials(error instanceof Error ? error.message : String(error))}` };
    }
  }

  /** The job's outcome, as its worker returned it; a cancelled scan stops waiting at once and tells the workers. */
  private async outcomeOf(job: Job, environment: EnvironmentQueue, options: RunOptions): Promise<TaskOutcome> {
    const id = job.id ?? "";
    const onActive = ({ jobId }: { jobId: string }): void => {
      if (jobId === id) options.onStart?.();
    };
    environment.events.on("active", onActive);
    let fail: (reason: string) => void = () => undefined;
    let onAbort: () => void = () => undefined;
    try {
      return await new Promise<TaskOutcome>((resolve, reject) => {
        fail = (reason) => reject(new Error(reason));
        this.waiting.add(fail);
        onAbort = () => {
          void this.cancel(job);
          resolve({ kind: "cancelled" });
        };
        options.signal.addEventListener("abort", onAbort, { once: true });
        job.waitUntilFinished(environment.events).then(
          (value: unknown) => resolve(value as TaskOutcome),
          (error: unknown) =>
            reject(new Error(`the workers gave up on ${job.name}: ${error instanceof Error ? error.message : String(error)}`)),
        );
      });
    } finally {
      this.waiting.delete(fail);
      options.signal.removeEventListener("abort", onAbort);
      environment.events.off("active", onActive);
    }
  }

  /** Tells every worker the scan is cancelled (they stop its running tasks), and takes the job off the queue if it waits. */
  private async cancel(job: Job): Promise<void> {
    await Promise.allSettled([
      this.client.set(cancelledKey(this.scan), "1", { expiration: { type: "PX", value: CANCELLED_TTL_MS } }),
      this.client.publish(CANCEL_CHANNEL, this.scan),
      job.remove(),
    ]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.queues.values()].flatMap(({ queue, events }) => [queue.close(), events.close()]));
    await this.client.close().catch(() => undefined);
  }
}
