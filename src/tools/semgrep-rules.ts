import { existsSync } from "node:fs";
import path from "node:path";
import sea from "node:sea";
import { fileURLToPath } from "node:url";
import { SEA_WORKER_ASSETS, extractWorkerAssets } from "../backends/worker-files.js";

/** The rule set jackpool ships for common Python security mistakes, relative to jackpool's own directory. */
const SHIPPED_RULES = path.join("tools", "semgrep-rules", "python-security.yml");

/** How the shipped rules are named in cache keys: by content, never by where jackpool is installed. */
export const SHIPPED_RULES_LABEL = "jackpool:semgrep-rules/python-security.yml";

/**
 * The shipped rule file, found by walking up from this module (it sits at a different depth in the sources and
 * in build/js); in the single binary, its embedded copy written out next to the worker scripts. Null if missing.
 */
export function shippedRulesFile(): string | null {
  if (sea.isSea()) return path.join(extractWorkerAssets(), SEA_WORKER_ASSETS.semgrepRules);
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, SHIPPED_RULES);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * Why a semgrep `--config` value would need the network, or undefined for a local path: `auto`, registry
 * packs (`p/python`, `r/…`, `s/…`) and URLs download rules and report to semgrep's servers.
 */
export function networkConfigProblem(value: string): string | undefined {
  if (value === "auto") return `"auto" fetches rules from the semgrep registry`;
  if (/^[prs]\//.test(value)) return `"${value}" is a semgrep registry pack`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `"${value}" is a URL`;
  return undefined;
}
