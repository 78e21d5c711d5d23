import { createHash } from "node:crypto";
import type { Finding } from "../../core/finding.js";

/**
 * A stable identity for each finding, for CI systems that track findings across runs (GitLab Code Quality,
 * SARIF result matching). It hashes what the finding is (tool, rule, path, message) and its place among the
 * identical findings of that file, not its line: editing unrelated lines must not turn an old finding into a
 * "new" one. `findings` must be in report order (sorted by line), so the n-th identical finding stays n-th.
 */
export function findingFingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const identity = JSON.stringify([finding.tool, finding.rule, finding.path, finding.message]);
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    return createHash("sha256").update(`jackpool-finding-v1\0${identity}\0${occurrence}`).digest("hex");
  });
}
