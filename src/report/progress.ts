import type { TaskRecord } from "../core/task-record.js";
import type { Task } from "../core/task.js";

/** Shows scan progress on stderr: a live line on a terminal, one plain line per finished task otherwise. */
export class Progress {
  private done = 0;
  private readonly running = new Map<string, Task>();

  constructor(
    private total: number,
    private readonly stream: NodeJS.WriteStream,
    private readonly live: boolean,
    private readonly quiet: boolean,
  ) {}

  /** More tasks joined the scan (a tool's stopped run done again as one run). */
  add(tasks: number): void {
    this.total += tasks;
    this.redraw();
  }

  start(task: Task): void {
    this.running.set(task.id, task);
    this.redraw();
  }

  end(record: TaskRecord): void {
    this.running.delete(record.task.id);
    this.done++;
    if (this.quiet) return;
    if (this.live) {
      this.redraw();
      return;
    }
    const { outcome, task } = record;
    const what = outcome.kind === "completed" ? `${outcome.findings.length} findings` : outcome.kind;
    this.stream.write(`[${this.done}/${this.total}] ${task.id} (${task.files.length} files): ${what}\n`);
  }

  private redraw(): void {
    if (this.quiet || !this.live) return;
    const tools = [...new Set([...this.running.values()].map((task) => task.tool))].join(", ");
    const line = `[${this.done}/${this.total}] ${tools ? `running ${tools}` : ""}`;
    this.stream.write(`\r\u001b[2K${line.slice(0, (this.stream.columns || 80) - 1)}`);
  }

  /** Clears the live line before the report is printed. */
  finish(): void {
    if (this.live && !this.quiet) this.stream.write("\r\u001b[2K");
  }
}
