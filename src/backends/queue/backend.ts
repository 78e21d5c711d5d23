import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RedisClientType } from "@redis/client";
import type { Job, Queue, QueueEvents } from "bullmq";
import type { TaskOutcome } from "../../core/outcome.js";
import type { Shipment, ShipmentOf } from "../../core/shipment.js";
import type { Task } from "../../core/task.js";
import { readContent, sha256 } from "../../files/content.js";
import { JACKPOOL_VERSION } from "../../self/version.js";
import { loadBullmq } from "../../self/worker-files.js";
import { counted } from "../../text/counted.js";
import { redactCredentials } from "../../text/redact.js";
import type { Backend, RunOptions } from "../backend.js";
import type { FallibleBackend } from "../fallback.js";
import { missingBlobs, uploadBlobs } from "./blobs.js";
import { connectQueue } from "./connection.js";
import { BULL_PREFIX, CANCEL_CHANNEL, cancelledKey, queueNameOf, type QueueJob, type Tree } from "./protocol.js";
import { liveWorkers, type WorkerRecord } from "./registry.js";

/** What a worker needs to know of a file besides its path: the hash of its bytes, and its mode (protocol.ts). */
interface ShippedContent {
  hash: string;
  executable: boolean;
}

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
  /** The live workers' slots when the scan started. */
  readonly slots: number;
  available = true;
  unavailableReason = "";
  private readonly scan = randomUUID();
  private readonly queues = new Map<string, EnvironmentQueue>();
  private readonly contents = new Map<string, Promise<ShippedContent | null>>();
  /** Contents in Redis, or on their way there, by hash. */
  private readonly stored = new Map<string, Promise<void>>();
  private readonly said = new Set<string>();
  private readonly waiting = new Set<(reason: string) => void>();
  private workers: { read: number; list: WorkerRecord[] };
  private priority = 0;
  private closed = false;
  /** What shipping cost this scan, said at the end (--verbose): the benchmark's coordinator costs. */
  private readonly shipped = { tasks: 0, trees: 0, files: 0, uploaded: 0, bytes: 0, ms: 0 };
  /** Each distinct tree of this scan, by its sorted file list, once shipped. */
  private readonly trees = new Map<string, Promise<string>>();
  /** The same, by the list itself: a tool's tasks share one (core/shipment.ts), so most tasks need no key made. */
  private readonly treeOfList = new WeakMap<readonly string[], Promise<string>>();

  private constructor(
    private readonly client: RedisClientType,
    private readonly options: QueueBackendOptions,
    workers: WorkerRecord[],
    localConcurrency: number,
  ) {
    this.workers = { read: Date.now(), list: workers };
    this.name = `queue at ${redactCredentials(options.url)}`;
    this.slots = workers.reduce((sum, worker) => sum + worker.slots, 0);
    this.concurrency = this.slots + localConcurrency;
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

  /** A file as this scan first read it (bytes not kept); null when it cannot be read (the tool will not see it either). */
  private contentOf(root: string, file: string): Promise<ShippedContent | null> {
    const absolute = path.join(root, file);
    let known = this.contents.get(absolute);
    if (!known) {
      known = readContent(absolute).then((content) => content && { hash: content.sha256, executable: content.executable });
      this.contents.set(absolute, known);
    }
    return known;
  }

  /**
   * The hash of the tree of `files` (sorted; protocol.ts), once it and every content in it are in Redis: per scan, each
   * distinct tree is made once, and each content asked for and uploaded once.
   */
  private ship(root: string, files: readonly string[]): Promise<string> {
    let known = this.treeOfList.get(files);
    if (!known) {
      const key = files.join("\0");
      known = this.trees.get(key) ?? this.shipTree(root, files);
      this.trees.set(key, known);
      this.treeOfList.set(files, known);
    }
    return known;
  }

  private async shipTree(root: string, files: readonly string[]): Promise<string> {
    const started = performance.now();
    const tree: Tree = { files: [] };
    const fileOf = new Map<string, string>();
    for (const [index, content] of (await Promise.all(files.map((file) => this.contentOf(root, file)))).entries()) {
      const file = files[index] ?? "";
      if (content === null) continue;
      tree.files.push([file, content.hash, content.executable ? 1 : 0]);
      fileOf.set(content.hash, file);
    }
    const listing = Buffer.from(JSON.stringify(tree));
    const treeHash = sha256(listing);
    // Contents another tree of this scan already stored, or is storing, are not asked for again.
    const unknown = [...fileOf.keys()].filter((hash) => !this.stored.has(hash));
    const storing = this.store(
      root,
      unknown.map((hash) => [hash, fileOf.get(hash) ?? ""] as const),
      new Map([[treeHash, listing]]),
    );
    for (const hash of unknown) this.stored.set(hash, storing);
    await Promise.all([storing, ...[...fileOf.keys()].map((hash) => this.stored.get(hash) ?? Promise.resolve())]);
    this.shipped.trees++;
    this.shipped.files += tree.files.length;
    this.shipped.ms += performance.now() - started;
    return treeHash;
  }

  /**
   * Stores what Redis lacks of `contents` (hash, a file that has it) and of `blobs` (hash → bytes): one round trip to
   * ask, one to upload.
   */
  private async store(
    root: string,
    contents: readonly (readonly [string, string])[],
    blobs: ReadonlyMap<string, Uint8Array>,
  ): Promise<void> {
    const missing = new Set(await missingBlobs(this.client, [...contents.map(([hash]) => hash), ...blobs.keys()]));
    const upload = new Map([...blobs].filter(([hash]) => missing.has(hash)));
    for (const [hash, file] of contents) {
      if (!missing.has(hash)) continue;
      const bytes = await readFile(path.join(root, file));
      // Changed since it was hashed: the task is shipped with what it was planned on, or not at all.
      if (sha256(bytes) !== hash) throw new Error(`${file} changed during the scan`);
      upload.set(hash, bytes);
    }
    await uploadBlobs(this.client, upload);
    this.shipped.uploaded += upload.size;
    for (const bytes of upload.values()) this.shipped.bytes += bytes.length;
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
      const tree = await this.ship(task.cwd, shipment.files);
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
      this.shipped.tasks++;
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
    const { tasks, trees, files, uploaded, bytes, ms } = this.shipped;
    if (tasks > 0)
      this.options.log(
        `queue: shipped ${counted(tasks, "task")} in ${counted(trees, "tree")} of ${counted(files, "file")}; uploaded ${counted(uploaded, "blob")} Redis lacked (${Math.round(bytes / 1024)} KiB); ${Math.round(ms)} ms hashing and shipping`,
      );
    await Promise.allSettled([...this.queues.values()].flatMap(({ queue, events }) => [queue.close(), events.close()]));
    await this.client.close().catch(() => undefined);
  }
}
