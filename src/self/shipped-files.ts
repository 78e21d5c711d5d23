import { existsSync } from "node:fs";
import path from "node:path";
import sea from "node:sea";
import { fileURLToPath } from "node:url";
import { extractWorkerAssets, shippedAssetName, type SHIPPED_FILES } from "./worker-files.js";

/** A file jackpool ships, by its path relative to jackpool's root. */
export type ShippedFile = (typeof SHIPPED_FILES)[number];

/**
 * Where a file jackpool ships is on disk: found by walking up from this module (it sits at a different depth in
 * the sources and in build/js); in the single binary, its embedded copy written out next to the worker
 * scripts. Null if missing.
 */
export function shippedFile(file: ShippedFile): string | null {
  if (sea.isSea()) return path.join(extractWorkerAssets(), shippedAssetName(file));
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, file);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
