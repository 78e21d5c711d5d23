import { cp, mkdir, mkdtemp, readFile, realpath, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/report.js";
import { SAMPLE_PROJECT, git, jackpool, projectCopy, tempDir, writeFiles } from "./helpers.js";
import { sarifValidator } from "./sarif-schema.js";
import { elements, parseXml } from "./xml-tree.js";

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: Record<string, number> } }[];
  partialFingerprints: Record<string, string>;
}

interface SarifRun {
  tool: { driver: { name: string; version?: string; informationUri?: string; rules: { id: string; helpUri?: string }[] } };
  invocations: { executionSuccessful: boolean; toolExecutionNotifications?: { level: string; message: { text: string } }[] }[];
  originalUriBaseIds: Record<string, { uri: string }>;
  results: SarifResult[];
}

interface SarifLog {
  version: string;
  runs: SarifRun[];
}

interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: string;
  location: { path: string; lines: { begin: number } };
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

function runOf(log: SarifLog, tool: string): SarifRun {
  const run = log.runs.find((candidate) => candidate.tool.driver.name === tool);
  if (!run) throw new Error(`no SARIF run for ${tool}`);
  return run;
}

/** `path:line rule` of each SARIF result of a run. */
function sarifBrief(run: SarifRun): string[] {
  return run.results.map(
    (result) =>
      `${result.locations[0]!.physicalLocation.artifactLocation.uri}:${result.locations[0]!.physicalLocation.region?.startLine} ${result.ruleId}`,
  );
}

const SAMPLE_TOOLS = ["refurb", "complexipy", "ruff", "vulture", "codespell"];

/** The example project with the five tools these tests are written around (its own config runs all ten). */
async function coldSample(options: { commit?: boolean } = {}): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT, options);
  await writeFiles(root, {
    ".crackerjack.yaml": `pool_scanning:\n  enabled: false\n  pooled_tools: [refurb, complexipy]\n  local_tools: [ruff, vulture, codespell]\n  tools:\n    complexipy:\n      args: ["--max-complexity-allowed", "10"]\n`,
  });
  return root;
}

// These tests are about formats, not about running tools: the sample is scanned once, and each test's copy starts with
// that scan's memory, so its scan replays the five tools' results (test/memory.test.ts holds a replay to what the
// tools report) in a fraction of a second instead of running them.
let warm: Promise<string> | undefined;
afterAll(async () => {
  if (warm) await rm(path.dirname(await warm), { recursive: true, force: true });
});

/** A copy of the sample with the five tools' results in memory; a git repository unless `commit` is false. */
async function sample(options: { commit?: boolean } = {}): Promise<string> {
  warm ??= (async () => {
    // Its own directory: a tempDir is removed after each test.
    const root = path.join(await mkdtemp(path.join(os.tmpdir(), "jackpool-formats-")), "sample");
    await rename(await coldSample(), root);
    const scanned = await jackpool(root, ["scan", "--all", "--quiet"]);
    if (scanned.exitCode !== 1) throw new Error(`the warm-up scan exited ${scanned.exitCode}: ${scanned.stderr}`);
    return root;
  })();
  const root = await tempDir();
  await cp(await warm, root, { recursive: true });
  if (options.commit === false) await rm(path.join(root, ".git"), { recursive: true, force: true });
  return root;
}

/** The example project, configured so that ruff fails (an unknown rule selector) and check-jsonschema (no schemas configured) never runs. */
async function sampleWithFailingRuffAndIdleTool(): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT);
  await writeFiles(root, {
    ".crackerjack.yaml":
      'pool_scanning:\n  enabled: false\n  pooled_tools: [check-jsonschema]\n  local_tools: [ruff, codespell]\n  tools:\n    ruff:\n      args: ["--select", "NOPE"]\n',
  });
  return root;
}

describe("several report formats from one scan", () => {
  it("text to stdout and sarif, junit, github, gitlab to files (parent directories created); exit code unchanged", async () => {
    const root = await sample();
    const formats = ["text", "sarif:report.sarif", "junit:out/junit.xml", "github:ci/github.log", "gitlab:out/deep/codequality.json"];
    const run = await jackpool(root, ["scan", "--all", "--quiet", ...formats.flatMap((format) => ["--format", format])]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toContain("src/inventory/models.py:1:8 ruff F401 `os` imported but unused\n");
    expect(run.stdout).toMatch(/^findings: 10 findings in 10 files, \d+\.\ds; \d+ results from memory saved \d+\.\ds of tool time$/m);
    expect((await readJson<SarifLog>(path.join(root, "report.sarif"))).runs.map((sarifRun) => sarifRun.tool.driver.name)).toEqual(
      SAMPLE_TOOLS,
    );
    expect(elements(await parseXml(await readFile(path.join(root, "out", "junit.xml"), "utf8")), "testsuite")).toHaveLength(5);
    expect(await readFile(path.join(root, "ci", "github.log"), "utf8")).toMatch(/^jackpool findings: 10 findings in 10 files /m);
    expect(await readJson<GitlabIssue[]>(path.join(root, "out", "deep", "codequality.json"))).toHaveLength(10);
  });

  it("--output names the file of the one format given without its own", async () => {
    const root = await sample();
    const run = await jackpool(root, [
      "scan",
      "--all",
      "--quiet",
      "--format",
      "sarif",
      "--format",
      "junit:junit.xml",
      "--output",
      "reports/scan.sarif",
    ]);
    expect(run).toMatchObject({ exitCode: 1, stdout: "" });
    expect((await readJson<SarifLog>(path.join(root, "reports", "scan.sarif"))).version).toBe("2.1.0");
    expect(await readFile(path.join(root, "junit.xml"), "utf8")).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });

  it("rejects bad --format values with one line and exit 2, before scanning", async () => {
    const root = await tempDir();
    const cases: [string[], string][] = [
      [["--format", "xml"], 'jackpool: --format: unknown format "xml" (valid formats: text, json, sarif, junit, github, gitlab)'],
      [["--format", "junt:x.xml"], 'jackpool: --format: unknown format "junt" (valid formats: text, json, sarif, junit, github, gitlab)'],
      [
        ["--format", "text", "--format", "json"],
        "jackpool: --format: only one report can go to stdout, but text and json name no file; give all but one a file (FORMAT:FILE)",
      ],
      [
        ["--format", "sarif", "--format", "json", "--output", "r.json"],
        "jackpool: --format: only one report can go to --output r.json, but sarif and json name no file; give all but one a file (FORMAT:FILE)",
      ],
      [["--format", "sarif:"], 'jackpool: --format: "sarif:" names no file after the colon (FORMAT:FILE)'],
      [["--format", "sarif:r.out", "--format", "junit:./r.out"], "jackpool: --format: sarif and junit would both write ./r.out"],
      [["--format", "sarif:r.sarif", "--output", "x"], "jackpool: --output: every --format already names its file; drop --output"],
    ];
    for (const [args, message] of cases) {
      expect(await jackpool(root, ["scan", "--all", ...args]), args.join(" ")).toMatchObject({ exitCode: 2, stdout: "", stderr: message });
    }
  });

  it("a report that cannot be written is one line and exit 2", async () => {
    const root = await sample();
    await mkdir(path.join(root, "taken"));
    const run = await jackpool(root, ["scan", "--all", "--quiet", "--tools", "codespell", "--format", "sarif:taken"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^jackpool: --format sarif: cannot write taken: EISDIR: illegal operation on a directory, open '[^']*\/taken'$/,
    );
  });
});

describe("--format sarif", () => {
  it("one run per tool, valid against the official SARIF 2.1.0 schema, with rules, levels and exact regions", async () => {
    const root = await sample();
    const run = await jackpool(root, ["scan", "--all", "--quiet", "--format", "sarif", "--format", "json:report.json"]);
    expect(run.exitCode, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout) as SarifLog;
    expect((await sarifValidator())(log)).toEqual([]);
    const report = await readJson<Report>(path.join(root, "report.json"));
    expect(log.runs.map((sarifRun) => sarifRun.tool.driver.name)).toEqual(SAMPLE_TOOLS);
    expect(log.runs.flatMap((sarifRun) => sarifRun.results)).toHaveLength(10);

    const ruff = runOf(log, "ruff");
    expect(ruff.tool.driver).toMatchObject({
      version: report.tools.find((tool) => tool.tool === "ruff")!.version!,
      informationUri: "https://docs.astral.sh/ruff/",
    });
    expect(ruff.invocations).toEqual([{ executionSuccessful: true }]);
    expect(ruff.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `file://${await realpath(root)}/` } });
    expect(sarifBrief(ruff)).toEqual(["src/inventory/models.py:1 F401", "src/inventory/models.py:33 SIM102"]);
    const f401 = ruff.results[0]!;
    expect(ruff.tool.driver.rules[f401.ruleIndex]).toEqual({ id: "F401", helpUri: "https://docs.astral.sh/ruff/rules/unused-import" });
    expect(f401).toMatchObject({
      ruleId: "F401",
      level: "error",
      message: { text: "`os` imported but unused" },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "src/inventory/models.py", uriBaseId: "%SRCROOT%" },
            region: { startLine: 1, startColumn: 8, endLine: 1, endColumn: 10 },
          },
        },
      ],
    });

    // codespell reports no column: the region has a line and nothing else (never a null or 0 column).
    const codespell = runOf(log, "codespell");
    expect(sarifBrief(codespell)).toEqual(["docs/notes.md:3 misspelling", "src/inventory/models.py:18 misspelling"]);
    expect(codespell.results[0]).toMatchObject({ level: "warning", message: { text: "recieved ==> received" } });
    expect(codespell.results[0]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 3 });
    expect(codespell.tool.driver.rules).toEqual([{ id: "misspelling" }]);
    expect(sarifBrief(runOf(log, "vulture"))).toEqual([
      "src/inventory/legacy.py:1 unused-function",
      "src/inventory/models.py:1 unused-import",
      "src/inventory/report.py:4 unused-function",
    ]);
    expect(runOf(log, "complexipy").results[0]!.locations[0]!.physicalLocation.region).toEqual({ startLine: 17, endLine: 36 });
  });

  it("a tool that failed runs unsuccessfully with its error as a notification; a tool never run has no run", async () => {
    const root = await sampleWithFailingRuffAndIdleTool();
    const run = await jackpool(root, ["scan", "--all", "--quiet", "--format", "sarif"]);
    expect(run.exitCode, run.stderr).toBe(2);
    const log = JSON.parse(run.stdout) as SarifLog;
    expect((await sarifValidator())(log)).toEqual([]);
    expect(log.runs.map((sarifRun) => sarifRun.tool.driver.name)).toEqual(["ruff", "codespell"]);
    const ruff = runOf(log, "ruff");
    expect(ruff.results).toEqual([]);
    expect(ruff.invocations).toHaveLength(1);
    expect(ruff.invocations[0]!.executionSuccessful).toBe(false);
    expect(ruff.invocations[0]!.toolExecutionNotifications).toHaveLength(1);
    expect(ruff.invocations[0]!.toolExecutionNotifications![0]!.level).toBe("error");
    expect(ruff.invocations[0]!.toolExecutionNotifications![0]!.message.text).toMatch(/^ruff: exited 2: .*Unknown rule selector `NOPE`/);
    expect(runOf(log, "codespell").invocations).toEqual([{ executionSuccessful: true }]);
  });

  it("the schema check can fail: a zero column is rejected", async () => {
    const validate = await sarifValidator();
    const region = { startLine: 1, startColumn: 0 };
    const log = {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "x" } },
          results: [{ message: { text: "m" }, locations: [{ physicalLocation: { artifactLocation: { uri: "a.py" }, region } }] }],
        },
      ],
    };
    expect(validate(log)).toContain("/runs/0/results/0/locations/0/physicalLocation/region/startColumn: must be >= 1");
  });
});

describe("--format junit", () => {
  it("one suite per tool, one failed case per file listing path:line:col rule message, a passing case for a clean tool", async () => {
    // Cold: a suite's time is its tool's, which a replay from memory does not spend.
    const root = await coldSample();
    const run = await jackpool(root, ["scan", "--all", "--quiet", "--format", "junit"]);
    expect(run.exitCode, run.stderr).toBe(1);
    const suites = await parseXml(run.stdout);
    expect(suites).toMatchObject({
      tag: "testsuites",
      attributes: { name: "jackpool", tests: "9", failures: "9", errors: "0", skipped: "0" },
    });
    const byName = new Map(elements(suites, "testsuite").map((suite) => [suite.attributes.name, suite]));
    expect([...byName.keys()]).toEqual(SAMPLE_TOOLS);
    const ruff = byName.get("ruff")!;
    expect(ruff.attributes).toMatchObject({ tests: "1", failures: "1", errors: "0" });
    expect(Number(ruff.attributes.time)).toBeGreaterThan(0);
    const [models] = elements(ruff, "testcase");
    expect(models!.attributes).toEqual({ name: "src/inventory/models.py", classname: "ruff", file: "src/inventory/models.py" });
    const failure = elements(models!, "failure")[0]!;
    expect(failure.attributes).toEqual({ message: "2 findings", type: "ruff" });
    expect(failure.text).toBe(
      "src/inventory/models.py:1:8 F401 `os` imported but unused\nsrc/inventory/models.py:33:13 SIM102 Use a single `if` statement instead of nested `if` statements",
    );
    expect(elements(byName.get("vulture")!, "testcase").map((testCase) => testCase.attributes.name)).toEqual([
      "src/inventory/legacy.py",
      "src/inventory/models.py",
      "src/inventory/report.py",
    ]);
    expect(elements(byName.get("codespell")!, "failure").map((codespell) => codespell.text)).toEqual([
      "docs/notes.md:3 misspelling recieved ==> received",
      "src/inventory/models.py:18 misspelling simplfy ==> simplify",
    ]);

    const clean = await jackpool(root, ["scan", "--quiet", "--format", "junit", "--tools", "ruff", "src/inventory/__init__.py"]);
    expect(clean.exitCode, clean.stderr).toBe(0);
    const ruffOnly = elements(await parseXml(clean.stdout), "testsuite");
    expect(ruffOnly.map((suite) => suite.attributes)).toMatchObject([
      { name: "ruff", tests: "1", failures: "0", errors: "0", skipped: "0" },
    ]);
    expect(elements(ruffOnly[0]!, "testcase")).toMatchObject([{ attributes: { name: "ruff", classname: "ruff" }, children: [] }]);
  });

  it("a crashed tool is an <error> with its message; a tool that had nothing to do is <skipped>", async () => {
    const root = await sampleWithFailingRuffAndIdleTool();
    const run = await jackpool(root, ["scan", "--all", "--quiet", "--format", "junit"]);
    expect(run.exitCode, run.stderr).toBe(2);
    const suites = await parseXml(run.stdout);
    expect(suites.attributes).toMatchObject({ tests: "4", failures: "2", errors: "1", skipped: "1" });
    const [idle, ruff] = elements(suites, "testsuite");
    expect(idle!.attributes).toMatchObject({ name: "check-jsonschema", tests: "1", skipped: "1" });
    expect(elements(idle!, "skipped")[0]!.attributes.message).toMatch(
      /^none of its \d+ files is covered by its settings \(tools\.check-jsonschema\)$/,
    );
    expect(ruff!.attributes).toMatchObject({ name: "ruff", tests: "1", failures: "0", errors: "1" });
    const error = elements(ruff!, "error")[0]!;
    expect(error.attributes.type).toBe("error");
    expect(error.text).toMatch(/^ruff: exited 2: .*Unknown rule selector `NOPE`/);
  });

  it("the XML check can fail: a control character reference is not XML 1.0", async () => {
    await expect(parseXml("<a>&#1;</a>")).rejects.toThrow(/^not well-formed XML: .*reference to invalid character number/);
  });
});

describe("--format github", () => {
  it("one workflow command per finding, severity as error/warning, escaped data, and a summary line", async () => {
    const root = await sample();
    const run = await jackpool(root, ["scan", "--all", "--quiet", "--format", "github"]);
    expect(run.exitCode, run.stderr).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines).toContain(
      "::error file=src/inventory/models.py,line=1,endLine=1,col=8,endColumn=10,title=ruff F401::`os` imported but unused",
    );
    expect(lines).toContain("::warning file=docs/notes.md,line=3,title=codespell misspelling::recieved ==> received");
    // "%" in the message is escaped as %25, as GitHub's toolkit does.
    expect(lines).toContain(
      "::warning file=src/inventory/models.py,line=1,title=vulture unused-import::unused import 'os' (90%25 confidence)",
    );
    expect(lines.at(-1)).toBe("jackpool findings: 10 findings in 10 files (refurb 2, complexipy 1, ruff 2, vulture 3, codespell 2)");
  });
});

describe("CI annotations of a project below the repository's top", () => {
  it("github and gitlab name files from the repository's top, where CI looks for them", async () => {
    const repository = await tempDir();
    const root = path.join(repository, "services", "backend");
    await mkdir(path.dirname(root), { recursive: true });
    await rename(await sample({ commit: false }), root);
    await git(repository, "init", "-q");
    await git(repository, "add", "-A");
    const run = await jackpool(root, [
      "scan",
      "--all",
      "--quiet",
      "--format",
      "github",
      "--format",
      "gitlab:cq.json",
      "--format",
      "json:report.json",
    ]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toContain(
      "::error file=services/backend/src/inventory/models.py,line=1,endLine=1,col=8,endColumn=10,title=ruff F401::`os` imported but unused\n",
    );
    const issues = await readJson<GitlabIssue[]>(path.join(root, "cq.json"));
    expect(issues.find((issue) => issue.check_name === "ruff/F401")?.location.path).toBe("services/backend/src/inventory/models.py");
    // The project's own reports keep project-relative paths.
    const report = await readJson<Report>(path.join(root, "report.json"));
    expect(report.findings.find((finding) => finding.rule === "F401")?.path).toBe("src/inventory/models.py");
  });
});

describe("--format gitlab", () => {
  it("code quality issues whose fingerprints survive unrelated line moves and tell identical findings apart", async () => {
    const root = await sample({ commit: false });
    // The same misspelling twice in one file: two findings identical but for their line.
    await writeFiles(root, { "docs/twice.md": "teh start\n\nteh end\n" });
    await git(root, "init", "-q");
    await git(root, "add", "-A");
    const before = await jackpool(root, ["scan", "--all", "--quiet", "--no-cache", "--format", "gitlab", "--format", "sarif:report.sarif"]);
    expect(before.exitCode, before.stderr).toBe(1);
    const issues = JSON.parse(before.stdout) as GitlabIssue[];
    expect(issues).toHaveLength(12);
    expect(issues).toContainEqual({
      description: "ruff F401: `os` imported but unused",
      check_name: "ruff/F401",
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      severity: "major",
      location: { path: "src/inventory/models.py", lines: { begin: 1 } },
    });
    expect(issues.find((issue) => issue.check_name === "codespell/misspelling")?.severity).toBe("minor");
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(12);
    const sarif = await readJson<SarifLog>(path.join(root, "report.sarif"));
    const sarifFingerprints = sarif.runs.flatMap((sarifRun) =>
      sarifRun.results.map((result) => result.partialFingerprints["jackpoolFinding/v1"]),
    );
    expect(new Set(sarifFingerprints)).toEqual(new Set(issues.map((issue) => issue.fingerprint)));

    const models = path.join(root, "src", "inventory", "models.py");
    await writeFile(models, `\n${await readFile(models, "utf8")}`);
    await writeFile(path.join(root, "docs", "twice.md"), "\nteh start\n\nteh end\n");
    const after = await jackpool(root, ["scan", "--all", "--quiet", "--no-cache", "--format", "gitlab"]);
    expect(after.exitCode, after.stderr).toBe(1);
    const moved = JSON.parse(after.stdout) as GitlabIssue[];
    const line = (list: GitlabIssue[], fingerprint: string): number | undefined =>
      list.find((issue) => issue.fingerprint === fingerprint)?.location.lines.begin;
    for (const issue of issues) {
      const shift = issue.location.path === "src/inventory/models.py" || issue.location.path === "docs/twice.md" ? 1 : 0;
      expect(line(moved, issue.fingerprint), `${issue.check_name} ${issue.location.path}:${issue.location.lines.begin}`).toBe(
        issue.location.lines.begin + shift,
      );
    }
    const twice = moved.filter((issue) => issue.location.path === "docs/twice.md").map((issue) => issue.location.lines.begin);
    expect(twice).toEqual([2, 4]);
  });
});

describe("odd file names", () => {
  it("a name with , : % & < > and a control character is escaped for each format", async () => {
    const root = await tempDir();
    const name = "odd,na:me%\u0001<&>.py";
    await writeFiles(root, { [name]: "import os\n" });
    await git(root, "init", "-q");
    await git(root, "add", "-A");
    const formats = ["json", "sarif:r.sarif", "junit:r.xml", "github:r.log", "gitlab:r.gitlab"];
    const run = await jackpool(root, [
      "scan",
      "--all",
      "--quiet",
      "--tools",
      "ruff,vulture",
      ...formats.flatMap((format) => ["--format", format]),
    ]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect((JSON.parse(run.stdout) as Report).findings.map((finding) => finding.path)).toEqual([name, name]);

    const sarif = await readJson<SarifLog>(path.join(root, "r.sarif"));
    expect((await sarifValidator())(sarif)).toEqual([]);
    expect(runOf(sarif, "ruff").results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("odd%2Cna%3Ame%25%01%3C%26%3E.py");

    const junit = await parseXml(await readFile(path.join(root, "r.xml"), "utf8"));
    const [ruffCase] = elements(elements(junit, "testsuite")[0]!, "testcase");
    expect(ruffCase!.attributes.name).toBe("odd,na:me%\\u0001<&>.py");
    expect(elements(ruffCase!, "failure")[0]!.text).toBe("odd,na:me%\\u0001<&>.py:1:8 F401 `os` imported but unused");

    const github = await readFile(path.join(root, "r.log"), "utf8");
    expect(github).toContain(
      "::error file=odd%2Cna%3Ame%25\u0001<&>.py,line=1,endLine=1,col=8,endColumn=10,title=ruff F401::`os` imported but unused\n",
    );

    const gitlab = await readJson<GitlabIssue[]>(path.join(root, "r.gitlab"));
    expect(gitlab.map((issue) => issue.location.path)).toEqual([name, name]);
  });
});

describe("text report hyperlinks", () => {
  it("file paths are OSC 8 links to file://host/path#line when colour is on, plain text otherwise", async () => {
    const root = await sample();
    const coloured = await jackpool(root, ["scan", "--all", "--quiet", "--tools", "ruff"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    expect(coloured.exitCode).toBe(1);
    const url = `file://${os.hostname()}${await realpath(root)}/src/inventory/models.py#33`;
    expect(coloured.stdout).toContain(`\u001b]8;;${url}\u001b\\\u001b[1msrc/inventory/models.py:33:13\u001b[22m\u001b]8;;\u001b\\`);
    const plain = await jackpool(root, ["scan", "--all", "--quiet", "--tools", "ruff"]);
    expect(plain.stdout).toContain("src/inventory/models.py:33:13 ruff SIM102 ");
    expect(plain.stdout).not.toContain("\u001b]8;");
  });
});
