import { describeDecision, type ScalingDecision } from "./autoscaler.js";
import { openBackend, type BackendContext, type OpenedBackend } from "./open.js";
import { recordScaling } from "./scaling-log.js";

/**
 * A scan's backend over the scan's life: opened once, on first use, so a Mahavishnu server is probed (and pools
 * spawned) while tools are probed and files listed; closed at the end, also when the scan failed while it was still
 * starting, with its autoscaling decisions kept for `jackpool pools status`.
 */
export class ScanBackend {
  private opening: Promise<OpenedBackend> | undefined;
  private readonly decisions: ScalingDecision[] = [];

  constructor(
    private readonly context: Omit<BackendContext, "onScaling">,
    private readonly root: string,
  ) {}

  /** The backend, opening it the first time. */
  open(): Promise<OpenedBackend> {
    if (!this.opening) {
      this.opening = openBackend({
        ...this.context,
        onScaling: (decision) => {
          this.decisions.push(decision);
          this.context.log(describeDecision(decision));
        },
      });
      this.opening.catch(() => undefined); // awaited by whoever uses it; this only keeps an early failure from being "unhandled"
    }
    return this.opening;
  }

  /** Closes what was opened, and records the scaling decisions; safe when nothing was. */
  async close(): Promise<void> {
    if (!this.opening) return;
    await (await this.opening.catch(() => undefined))?.backend.close();
    await recordScaling(this.root, this.decisions);
  }
}
