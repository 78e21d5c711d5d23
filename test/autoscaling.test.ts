import { describe, expect, it } from "vitest";
import type { ScalingDecision } from "../src/backends/autoscaler.js";
import type { Backend } from "../src/backends/backend.js";
import { LocalPoolBackend } from "../src/backends/threads/pool.js";
import { MahavishnuBackend } from "../src/backends/mahavishnu/backend.js";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { defaultPoolScanning } from "../src/config/schema.js";
import type { TaskOutcome } from "../src/core/outcome.js";
import { blockingRuff, ruffTask, until } from "./backend-contract.js";
import { BUILT_WORKER, JACKPOOL, SAMPLE_PROJECT, jackpool, projectCopy, scanJson, writeFiles } from "./helpers.js";
import { startStandin } from "./standin-server.js";

/** Grow past one task queued, up to 3; back to 1 after half a second idle. */
function scaling(decisions: ScalingDecision[]) {
  return { min: 1, max: 3, upThreshold: 1, idleMs: 500, onDecision: (decision: ScalingDecision) => decisions.push(decision) };
}

/** Four blocking tasks on a backend of size 1: it must grow to 3 to run three of them at once. */
async function backlog(backend: Backend, size: () => Promise<number>): Promise<void> {
  const root = await projectCopy(SAMPLE_PROJECT);
  const ruff = await blockingRuff();
  const signal = new AbortController().signal;
  const tasks = [1, 2, 3, 4].map((n) =>
    backend.run(ruffTask(root, { id: `ruff#${n}`, program: { kind: "process", executable: ruff.executable } }), { signal }),
  );
  await until(() => ruff.started().length === 3);
  expect(await size()).toBe(3);
  // The fourth waits: three is the most.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(ruff.started()).toHaveLength(3);
  await ruff.release();
  const outcomes: TaskOutcome[] = await Promise.all(tasks);
  expect(outcomes.map((outcome) => outcome.kind)).toEqual(["completed", "completed", "completed", "completed"]);
}

function summary(decisions: readonly ScalingDecision[]): string[] {
  return decisions.map((decision) => `${decision.backend} ${decision.from}→${decision.to}: ${decision.reason}`);
}

const GROWTH = ["2 tasks queued, more than scale_up_threshold 1", "3 tasks queued, more than scale_up_threshold 1"];

describe("autoscaling", () => {
  it("local pool: a backlog adds worker threads, idleness takes them away", async () => {
    const decisions: ScalingDecision[] = [];
    const backend = new LocalPoolBackend({ threads: 1, workerFile: BUILT_WORKER, autoscaling: scaling(decisions) });
    try {
      // No thread boots before the first task: a scan that memory answers needs none.
      expect(backend.threads).toBe(0);
      await backlog(backend, () => Promise.resolve(backend.threads));
      // piscina ends each idle thread on its own timer, which can run out before the autoscaler logs its decision.
      await until(() => backend.threads === 1 && decisions.length === 3);
      expect(summary(decisions)).toEqual([
        `local 1→2: ${GROWTH[0]}`,
        `local 2→3: ${GROWTH[1]}`,
        "local 3→1: idle for 0.5 s, scale_down_threshold",
      ]);
    } finally {
      await backend.close();
    }
  });

  it("Mahavishnu: a backlog spawns pools, idleness closes them", async () => {
    const server = await startStandin();
    const client = await MahavishnuClient.connect(server.url);
    const observer = await MahavishnuClient.connect(server.url);
    const decisions: ScalingDecision[] = [];
    const pool = { ...defaultPoolScanning().pool, worker_type: "terminal-shell", min_workers: 1 };
    const backend = await MahavishnuBackend.start({
      client,
      pool,
      pools: 1,
      runner: [process.execPath, JACKPOOL],
      autoscaling: scaling(decisions),
    });
    const pools = async (): Promise<number> => (await observer.list()).length;
    try {
      await backlog(backend, pools);
      for (let waited = 0; (await pools()) > 1 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await pools()).toBe(1);
      expect(summary(decisions)).toEqual([
        `mahavishnu 1→2: ${GROWTH[0]}`,
        `mahavishnu 2→3: ${GROWTH[1]}`,
        "mahavishnu 3→1: idle for 0.5 s, scale_down_threshold",
      ]);
    } finally {
      await backend.close();
      await observer.disconnect();
    }
  });

  it("a scan logs its decisions with --verbose, and `pools status` shows them", async () => {
    const server = await startStandin();
    const root = await projectCopy(SAMPLE_PROJECT, { commit: false });
    await writeFiles(root, {
      ".crackerjack.yaml": `pool_scanning:
  mcp_server_url: "${server.url}"
  pool: { min_workers: 1, max_workers: 4, worker_type: terminal-shell }
  pooled_tools: [refurb, complexipy]
  local_tools: [ruff, vulture, codespell]
  autoscaling: { scale_up_threshold: 1, max_workers: 3 }
`,
    });
    const { run, report } = await scanJson(root, ["--all", "--no-cache", "--jobs", "1", "--verbose"]);
    expect(run.exitCode).toBe(1);
    expect(report.summary.findings).toBe(10);
    // ruff, vulture and codespell arrive at once on one local thread: two queued, one more than the threshold.
    expect(run.stderr).toMatch(/^autoscale local: 1 → 2 workers \(2 tasks queued, more than scale_up_threshold 1\)$/m);
    const status = await jackpool(root, ["pools", "status"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^autoscaling in the last scan \(\d{4}-\d\d-\d\dT[\d:.]+Z\):$/m);
    expect(status.stdout).toMatch(
      /^ {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}autoscale local: 1 → 2 workers \(2 tasks queued, more than scale_up_threshold 1\)$/m,
    );
  });
});
