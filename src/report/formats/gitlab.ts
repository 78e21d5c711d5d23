import type { Severity } from "../../core/finding.js";
import { findingFingerprints } from "./finding-fingerprints.js";
import { repositoryPath, type FormatContext } from "./formatter.js";
import { reportedFindings, type Report } from "../report.js";

const GITLAB_SEVERITY: Record<Severity, "major" | "minor" | "info"> = { error: "major", warning: "minor", info: "info" };

/**
 * GitLab Code Quality JSON (a subset of the Code Climate issue format). Fingerprints are stable across runs
 * and line shifts, so the merge request widget shows only findings a change introduced or fixed.
 */
export function formatGitlab(report: Report, context: FormatContext): string {
  // With a baseline, only new findings: the merge request widget shows what the change adds.
  const findings = reportedFindings(report);
  const fingerprints = findingFingerprints(findings);
  const issues = findings.map((finding, index) => ({
    description: `${finding.tool} ${finding.rule}: ${finding.message}`,
    check_name: `${finding.tool}/${finding.rule}`,
    fingerprint: fingerprints[index]!,
    severity: GITLAB_SEVERITY[finding.severity],
    location: { path: repositoryPath(context, finding.path), lines: { begin: Math.max(1, finding.line) } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
