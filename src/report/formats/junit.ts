import type { Finding } from "../../core/finding.js";
import { findingLocation } from "./finding-location.js";
import { reportedFindings, type Report, type ToolSummary } from "../report.js";
import { counted } from "../../text/counted.js";
import { unreachable } from "../../core/unreachable.js";
import { toolHealth } from "../tool-health.js";
import { xmlAttribute, xmlText } from "./xml-text.js";

/** One `<testcase>`: how it ended and its element, already rendered. */
interface TestCase {
  result: "passed" | "failure" | "error" | "skipped";
  xml: string;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`)
    .join("");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** A file with findings is a failed test case listing each one as `path:line:col rule message`. */
function fileCase(tool: string, file: string, findings: readonly Finding[]): TestCase {
  const lines = findings.map((finding) => `${findingLocation(finding)} ${finding.rule} ${finding.message}`);
  const failure = `<failure${attributes({ message: counted(findings.length, "finding"), type: tool })}>${xmlText(lines.join("\n"))}</failure>`;
  return {
    result: "failure",
    xml: `    <testcase${attributes({ name: file, classname: tool, file })}>\n      ${failure}\n    </testcase>`,
  };
}

/** The tool's own test case: passed when it ran clean, an error when it failed, skipped when it did not run to the end. */
function toolCase(tool: ToolSummary, hasFindings: boolean): TestCase | undefined {
  const { outcome, messages } = toolHealth(tool);
  const open = `    <testcase${attributes({ name: tool.tool, classname: tool.tool })}`;
  const message = messages.join("\n");
  switch (outcome) {
    case "ran":
      return hasFindings ? undefined : { result: "passed", xml: `${open}/>` };
    case "failed":
      return {
        result: "error",
        xml: `${open}>\n      <error${attributes({ message: messages[0] ?? tool.status, type: tool.status })}>${xmlText(message)}</error>\n    </testcase>`,
      };
    case "stopped":
    case "not-run":
      return { result: "skipped", xml: `${open}>\n      <skipped${attributes({ message })}/>\n    </testcase>` };
    default:
      return unreachable(outcome);
  }
}

function countsOf(cases: readonly TestCase[]): Counts {
  const count = (result: TestCase["result"]): number => cases.filter((testCase) => testCase.result === result).length;
  return { tests: cases.length, failures: count("failure"), errors: count("error"), skipped: count("skipped") };
}

function suiteOf(tool: ToolSummary, findings: readonly Finding[]): { counts: Counts; xml: string } {
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const inFile = byFile.get(finding.path);
    if (inFile) inFile.push(finding);
    else byFile.set(finding.path, [finding]);
  }
  const cases = [...byFile].map(([file, inFile]) => fileCase(tool.tool, file, inFile));
  const own = toolCase(tool, findings.length > 0);
  if (own) cases.push(own);
  const counts = countsOf(cases);
  const properties =
    tool.version === null
      ? ""
      : `    <properties>\n      <property${attributes({ name: "version", value: tool.version })}/>\n    </properties>\n`;
  const open = `  <testsuite${attributes({ name: tool.tool, ...counts, time: seconds(tool.durationMs) })}>`;
  return { counts, xml: `${open}\n${properties}${cases.map((testCase) => testCase.xml).join("\n")}\n  </testsuite>` };
}

/**
 * JUnit XML: one test suite per tool, one failed test case per file with findings, and the tool's own test
 * case when it had none (passed), failed (error) or did not run to the end (skipped).
 */
export function formatJunit(report: Report): string {
  const suites = report.tools.map((tool) =>
    suiteOf(
      tool,
      reportedFindings(report).filter((finding) => finding.tool === tool.tool),
    ),
  );
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const { counts } of suites) {
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
  }
  const open = `<testsuites${attributes({ name: "jackpool", ...total, time: seconds(report.summary.durationMs) })}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}\n${suites.map((suite) => suite.xml).join("\n")}\n</testsuites>\n`;
}
