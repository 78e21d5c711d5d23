import { pathToFileURL } from "node:url";
import type { Finding, Severity } from "../../core/finding.js";
import { builtinTool } from "../../tools/registry.js";

function homepageOf(tool: string): string | undefined {
  return builtinTool(tool)?.spec.homepage;
}
import { findingFingerprints } from "./finding-fingerprints.js";
import type { FormatContext } from "./formatter.js";
import type { BaselineState, GoneEntry, Report, ToolSummary } from "../report.js";
import { toolHealth } from "../tool-health.js";

/** The published OASIS schema of SARIF 2.1.0 (errata 01); test/fixtures/sarif/ keeps a copy the tests validate against. */
const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** Paths in results are relative to this base; `originalUriBaseIds` says where it was on the scanning machine. */
const SOURCE_ROOT = "%SRCROOT%";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

interface SarifRule {
  id: string;
  helpUri?: string;
}

/** A relative URI reference for a project path: each segment percent-encoded, so `%`, `#`, `:` or spaces stay literal. */
function relativeUri(projectPath: string): string {
  return projectPath.split("/").map(encodeURIComponent).join("/");
}

/** The region SARIF allows: 1-based lines and columns, never null or 0; end column only with a start column. */
function regionOf(finding: Finding): Record<string, number> | undefined {
  if (finding.line < 1) return undefined;
  const region: Record<string, number> = { startLine: finding.line };
  const hasColumn = finding.column !== null && finding.column >= 1;
  if (hasColumn) region.startColumn = finding.column!;
  if (finding.endLine !== undefined && finding.endLine >= finding.line) region.endLine = finding.endLine;
  if (hasColumn && finding.endColumn !== undefined && finding.endColumn >= 1) region.endColumn = finding.endColumn;
  return region;
}

/** SARIF's names for the baseline states; absent for what the baseline holds and the scan no longer found. */
const BASELINE_STATE: Record<BaselineState, "new" | "unchanged"> = { new: "new", baselined: "unchanged" };

function resultOf(finding: Finding & { baseline?: BaselineState }, ruleIndex: number, fingerprint: string): object {
  const region = regionOf(finding);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      { physicalLocation: { artifactLocation: { uri: relativeUri(finding.path), uriBaseId: SOURCE_ROOT }, ...(region ? { region } : {}) } },
    ],
    partialFingerprints: { "jackpoolFinding/v1": fingerprint },
    ...(finding.baseline ? { baselineState: BASELINE_STATE[finding.baseline] } : {}),
  };
}

/** A baseline entry that is gone: a result whose `baselineState` is `absent`, at its file with no region. */
function absentResultOf(gone: GoneEntry, ruleIndex: number): object {
  return {
    ruleId: gone.rule,
    ruleIndex,
    level: "none",
    message: { text: gone.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(gone.path), uriBaseId: SOURCE_ROOT } } }],
    partialFingerprints: { "jackpoolBaseline/v1": gone.fingerprint },
    baselineState: "absent",
  };
}

/**
 * The tool's one invocation. A tool that crashed, timed out, was missing or was cut short by --fail-fast
 * did not execute successfully; its notes say why, as notifications.
 */
function invocationOf(tool: ToolSummary): object {
  const { outcome, messages } = toolHealth(tool);
  const level = outcome === "failed" ? "error" : outcome === "stopped" ? "warning" : "note";
  return {
    executionSuccessful: outcome === "ran",
    ...(messages.length > 0 ? { toolExecutionNotifications: messages.map((text) => ({ level, message: { text } })) } : {}),
  };
}

function runOf(
  tool: ToolSummary,
  findings: readonly { finding: Finding & { baseline?: BaselineState }; fingerprint: string }[],
  gone: readonly GoneEntry[],
  root: string,
): object {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const indexOf = (rule: string, url?: string): number => {
    let index = ruleIndex.get(rule);
    if (index === undefined) {
      index = rules.push({ id: rule, ...(url ? { helpUri: url } : {}) }) - 1;
      ruleIndex.set(rule, index);
    }
    return index;
  };
  const results = [
    ...findings.map(({ finding, fingerprint }) => resultOf(finding, indexOf(finding.rule, finding.url), fingerprint)),
    ...gone.map((entry) => absentResultOf(entry, indexOf(entry.rule))),
  ];
  return {
    tool: {
      driver: {
        name: tool.tool,
        ...(tool.version ? { version: tool.version } : {}),
        // A tool the project declared has no page jackpool knows.
        ...(homepageOf(tool.tool) ? { informationUri: homepageOf(tool.tool) } : {}),
        rules,
      },
    },
    invocations: [invocationOf(tool)],
    originalUriBaseIds: { [SOURCE_ROOT]: { uri: `${pathToFileURL(root).href}/` } },
    // Python tools count columns in characters, not UTF-16 units.
    columnKind: "unicodeCodePoints",
    results,
  };
}

/**
 * SARIF 2.1.0: one run per tool that had something to do. Tools that were not run at all (no files, no
 * adapter) get no run: an empty run would tell code scanning the tool found nothing.
 */
export function formatSarif(report: Report, { root }: FormatContext): string {
  const fingerprints = findingFingerprints(report.findings);
  const tagged = report.findings.map((finding, index) => ({ finding, fingerprint: fingerprints[index]! }));
  const runs = report.tools
    .filter((tool) => toolHealth(tool).outcome !== "not-run")
    .map((tool) =>
      runOf(
        tool,
        tagged.filter(({ finding }) => finding.tool === tool.tool),
        (report.baseline?.gone ?? []).filter((entry) => entry.tool === tool.tool),
        root,
      ),
    );
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs }, null, 2)}\n`;
}
