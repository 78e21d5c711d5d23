import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sea from "node:sea";
import type * as BullMQ from "bullmq";
import { jackpoolCacheDir } from "./cache-home.js";

/**
 * The files of build/bundle (scripts/bundle.mjs): the bundled CLI, which `bin/jackpool.js` runs and the single binary
 * embeds as its script, and beside it what its threads load, which the binary carries as assets: the bundled task
 * worker, piscina's own worker and the embedded ruff's WebAssembly (which the task worker loads from its own directory).
 */
export const BUNDLE_FILES = {
  cli: "jackpool.cjs",
  task: "task-worker.cjs",
  piscina: "piscina-worker.cjs",
  ruffWasm: "ruff_wasm_bg.wasm",
  /** BullMQ, apart: a third of the CLI's size, which every start would parse and only the queue's commands use. */
  bullmq: "bullmq.cjs",
} as const;

// Defined as true by scripts/bundle.mjs; never declared anywhere at run time, so the compiled tree sees undefined.
declare const JACKPOOL_BUNDLE: boolean | undefined;

/** Whether this code runs from build/bundle (bin/jackpool.js, the single binary) rather than the compiled tree. */
const bundled = typeof JACKPOOL_BUNDLE !== "undefined" && JACKPOOL_BUNDLE;

/**
 * Files jackpool ships beside its code, relative to its root, which other programs read (see shipped-files.ts):
 * the default semgrep rules, the interface-digest script that runs in refurb's Python, and the scripts that ask
 * mypy and skylos which files they check. The single binary
 * carries each as an asset named by its base name.
 */
export const SHIPPED_FILES = [
  "assets/semgrep-rules/python-security.yml",
  "assets/python/interface_digest.py",
  "assets/python/mypy_targets.py",
  "assets/python/skylos_targets.py",
] as const;

/** The name a shipped file's asset has in the single binary, and once written out. */
export function shippedAssetName(file: (typeof SHIPPED_FILES)[number]): string {
  return path.posix.basename(file);
}

/** Every asset name the binary writes out. */
function assetNames(): string[] {
  const { task, piscina, ruffWasm, bullmq } = BUNDLE_FILES;
  return [task, piscina, ruffWasm, bullmq, ...SHIPPED_FILES.map(shippedAssetName)];
}

/** The asset holding a hash of the others, made at build time, so naming their directory hashes nothing at run time. */
export const SEA_ASSETS_ID = "workers-id";

/**
 * Where the single binary's copy of piscina looks for piscina's own worker script: the build replaces
 * piscina's `resolve(__dirname, 'worker.js')` with a read of this global, because inside a binary there is
 * no piscina directory on disk.
 */
export const PISCINA_WORKER_GLOBAL = "jackpool.piscinaWorkerFile";

/**
 * The script each piscina worker thread loads. From the compiled tree: the CommonJS entry next to this file. From
 * the bundle: the bundled worker beside it. In the single binary: the embedded worker bundles, written out once per
 * build into the cache directory, since a worker thread can only start from a file. A bundle's piscina looks for its
 * own worker where the global PISCINA_WORKER_GLOBAL says.
 */
export function taskWorkerFile(): string {
  if (!bundled) return fileURLToPath(new URL("../../workers/piscina-entry.cjs", import.meta.url));
  (globalThis as Record<symbol, unknown>)[Symbol.for(PISCINA_WORKER_GLOBAL)] = bundleFile(BUNDLE_FILES.piscina);
  return bundleFile(BUNDLE_FILES.task);
}

/**
 * Where a file of build/bundle is: beside the bundled CLI, or in the single binary, among its assets written out.
 * Only callable from the bundle.
 */
export function bundleFile(name: (typeof BUNDLE_FILES)[keyof typeof BUNDLE_FILES]): string {
  return path.join(sea.isSea() ? extractWorkerAssets() : path.dirname(fileURLToPath(import.meta.url)), name);
}

/**
 * BullMQ, loaded on first use: from node_modules in the compiled tree, from its own bundle (BUNDLE_FILES.bullmq)
 * otherwise, so the CLI's bundle does not carry it.
 */
export function loadBullmq(): typeof BullMQ {
  // Inside the single binary there is no file of its own to resolve from: the binary's path serves (Node's advice).
  const require = createRequire(sea.isSea() ? process.execPath : import.meta.url);
  return require(bundled ? bundleFile(BUNDLE_FILES.bullmq) : "bullmq") as typeof BullMQ;
}

let extracted: string | undefined;

/**
 * The directory the single binary's assets are written to (once per build, looked up once per process: the
 * temp-directory fallback would otherwise write 10 MB again for every caller); only callable inside the binary.
 */
export function extractWorkerAssets(): string {
  extracted ??= writeWorkerAssets();
  return extracted;
}

function writeWorkerAssets(): string {
  const write = (dir: string): void => {
    for (const name of assetNames()) {
      const file = path.join(dir, name);
      if (existsSync(file)) continue;
      // Written under a temp name and renamed: a concurrent scan never loads half a file.
      const partial = `${file}.${process.pid}.partial`;
      writeFileSync(partial, new Uint8Array(sea.getRawAsset(name) as ArrayBuffer), { mode: 0o644 });
      renameSync(partial, file);
    }
  };
  // Named by content: a new build never runs an old build's workers.
  const cached = path.join(jackpoolCacheDir(), `workers-${sea.getAsset(SEA_ASSETS_ID, "utf8")}`);
  try {
    mkdirSync(cached, { recursive: true, mode: 0o700 });
    write(cached);
    return cached;
  } catch {
    // No writable cache (read-only home in CI): a private temp directory, removed when jackpool exits.
    const temporary = mkdtempSync(path.join(os.tmpdir(), "jackpool-workers-"));
    process.once("exit", () => rmSync(temporary, { recursive: true, force: true }));
    write(temporary);
    return temporary;
  }
}
