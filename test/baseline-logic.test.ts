// The baseline's pure logic, in milliseconds: identities, matching, the file, changed lines, the report it marks.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { keepChangedLines, markReport } from "../src/baseline/apply.js";
import { entryOf, formatBaseline, parseBaseline, readBaseline, writeBaseline, type BaselineEntry } from "../src/baseline/file.js";
import { fingerprintOf, identitiesOf, normaliseMessage, sourceHash, type FingerprintedIdentity } from "../src/baseline/identity.js";
import { holdAgainstBaseline } from "../src/baseline/held.js";
import { matchFindings } from "../src/baseline/match.js";
import { BaselineError } from "../src/core/errors.js";
import type { Finding } from "../src/core/finding.js";
import { parseChangedLines } from "../src/files/git-changes.js";
import type { Report } from "../src/report/report.js";
import { tempDir } from "./helpers.js";

function finding(path: string, line: number, rule = "F401", message = "`os` imported but unused", tool = "ruff"): Finding {
  return { tool, rule, severity: "error", path, line, column: 1, message };
}

/** Identities of findings over files given as text (path → content). */
function identities(files: Record<string, string>, findings: Finding[]): FingerprintedIdentity[] {
  return identitiesOf(findings, (path, line) => files[path]?.split("\n")[line - 1]);
}

/** Which findings (by index) are new against entries made from `before`. */
function newOnes(before: FingerprintedIdentity[], after: FingerprintedIdentity[], renames?: Map<string, string>): number[] {
  const { entryOf: matched } = matchFindings(
    before.map((identity) => entryOf(identity)),
    after,
    (index) => after[index]!.source,
    renames,
    { pairExactly: true },
  );
  return matched.flatMap((entry, index) => (entry === undefined ? [index] : []));
}

const MODULE = "import os\n\n\ndef f():\n    return 1\n";

describe("identity", () => {
  it("masks numbers standing alone, not those in names", () => {
    expect(normaliseMessage("Line too long (95 > 88)")).toBe("Line too long (# > #)");
    expect(normaliseMessage("`x1` has complexity 17.5")).toBe("`x1` has complexity #");
  });

  it("hashes the line without whitespace: indentation and spacing do not count", () => {
    expect(sourceHash("    x = f( 1 )")).toBe(sourceHash("x=f(1)"));
    expect(sourceHash("x = f(2)")).not.toBe(sourceHash("x = f(1)"));
    expect(sourceHash(undefined)).toBe("");
  });

  it("counts identical findings in line order, and leaves the line number out", () => {
    const files = { "a.py": "import os\nimport os\n" };
    const [first, second] = identities(files, [finding("a.py", 1), finding("a.py", 2)]);
    expect(first!.occurrence).toBe(0);
    expect(second!.occurrence).toBe(1);
    expect(fingerprintOf(first!)).not.toBe(fingerprintOf(second!));
    const moved = identities({ "a.py": "\n\n\nimport os\n" }, [finding("a.py", 4)]);
    expect(fingerprintOf(moved[0]!)).toBe(fingerprintOf(first!));
  });

  it("gives a whole-file finding (no line) no line content", () => {
    expect(identities({}, [finding("a.py", 0)])[0]!.source).toBe("");
  });
});

describe("matching", () => {
  const before = identities({ "a.py": MODULE }, [finding("a.py", 1), finding("a.py", 5, "R1", "complexity 12")]);

  it("keeps findings baselined when lines are added above them", () => {
    const after = identities({ "a.py": `"""Doc."""\n\n${MODULE}` }, [finding("a.py", 3), finding("a.py", 7, "R1", "complexity 14")]);
    expect(newOnes(before, after)).toEqual([]);
  });

  it("keeps a finding baselined when its line is reformatted and the message stays", () => {
    const after = identities({ "a.py": "import os  # noqa: unrelated\n" }, [finding("a.py", 1)]);
    expect(newOnes(before.slice(0, 1), after)).toEqual([]);
  });

  it("follows a renamed file", () => {
    const after = identities({ "b.py": MODULE }, [finding("b.py", 1)]);
    expect(newOnes(before.slice(0, 1), after)).toEqual([0]);
    expect(newOnes(before.slice(0, 1), after, new Map([["a.py", "b.py"]]))).toEqual([]);
  });

  it("counts identical duplicates separately: a third copy is new, and the first two keep their entries", () => {
    const two = identities({ "a.py": "import os\nimport os\n" }, [finding("a.py", 1), finding("a.py", 2)]);
    const three = identities({ "a.py": "import os\nimport os\nimport os\n" }, [finding("a.py", 1), finding("a.py", 2), finding("a.py", 3)]);
    expect(newOnes(two, three)).toEqual([2]);
    const { unmatched } = matchFindings(
      three.map((identity) => entryOf(identity)),
      two,
      (index) => two[index]!.source,
    );
    expect(unmatched).toEqual([2]);
  });

  it("reads no line content where findings and entries pair up one for one", () => {
    const asked: number[] = [];
    const after = identities({ "a.py": `\n\n${MODULE}` }, [
      finding("a.py", 3),
      finding("a.py", 7, "R1", "complexity 14"),
      finding("a.py", 4, "F811"),
    ]);
    const { entryOf: matched } = matchFindings(
      before.map((identity) => entryOf(identity)),
      after,
      (index) => (asked.push(index), after[index]!.source),
    );
    expect(matched).toEqual([0, 1, undefined]);
    expect(asked).toEqual([]);
  });

  it("reports a finding of another rule, tool or file as new", () => {
    const after = identities({ "a.py": MODULE }, [
      finding("a.py", 1, "F811"),
      finding("a.py", 1, "F401", "`os` imported but unused", "skylos"),
    ]);
    expect(newOnes(before, after)).toEqual([0, 1]);
  });
});

describe("baseline file", () => {
  const entries: BaselineEntry[] = identities({ "b.py": "import os\n", "a.py": MODULE }, [finding("b.py", 1), finding("a.py", 1)]).map(
    (identity) => entryOf(identity),
  );

  it("round-trips, sorted by path and stable, one entry a line", () => {
    const text = formatBaseline(entries);
    expect(formatBaseline(parseBaseline(text, "x.json"))).toBe(text);
    expect(formatBaseline([...entries].reverse())).toBe(text);
    const lines = text.split("\n").filter((line) => line.includes('"fingerprint"'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"path":"a.py"');
    expect(JSON.parse(text)).toMatchObject({ jackpoolBaseline: 1 });
  });

  it("keeps an accepted finding's reason", () => {
    const text = formatBaseline([entryOf(entries[0]!, "vendored code")]);
    expect(parseBaseline(text, "x.json")[0]!.reason).toBe("vendored code");
  });

  const bad = (text: string): string => {
    try {
      parseBaseline(text, ".jackpool-baseline.json");
    } catch (error) {
      expect(error).toBeInstanceOf(BaselineError);
      return (error as Error).message;
    }
    throw new Error("parsed");
  };

  it("refuses malformed JSON, naming the file", () => {
    expect(bad("{ not json")).toMatch(/^\.jackpool-baseline\.json: not valid JSON/);
    expect(bad("[]")).toMatch(/expected a JSON object/);
    expect(bad('{"jackpoolBaseline": 1, "entries": {}}')).toMatch(/"entries" must be a list/);
  });

  it("refuses a file from a newer schema", () => {
    expect(bad('{"jackpoolBaseline": 2, "entries": []}')).toMatch(/newer jackpool \(baseline schema 2; this jackpool reads up to 1\)/);
  });

  it("names the entry that is malformed or hand-edited", () => {
    const edited = formatBaseline(entries).replace('"rule":"F401","path":"b.py"', '"rule":"E501","path":"b.py"');
    expect(bad(edited)).toMatch(/^\.jackpool-baseline\.json: entry 2 \(b\.py ruff E501\): its fingerprint does not match its fields/);
    const missing = formatBaseline(entries).replace(/"occurrence":0,/, "");
    expect(bad(missing)).toMatch(/: entry 1 \(a\.py ruff F401\): occurrence: /);
    const extra = formatBaseline(entries).replace(/"occurrence":0,/, '"occurrence":0,"line":3,');
    expect(bad(extra)).toMatch(/: entry 1 \(a\.py ruff F401\): .*line/);
    const doubled = formatBaseline([entries[0]!, entries[0]!]);
    expect(bad(doubled)).toMatch(/entry 2 \(b\.py ruff F401\): the same finding as entry 1/);
  });

  it("checks a text once: a file jackpool wrote is read without recomputing fingerprints, a hand edit is caught", async () => {
    const root = await tempDir();
    const file = path.join(root, ".jackpool-baseline.json");
    expect(await readBaseline(file, "b.json", root)).toBeNull();
    await writeBaseline(file, entries, root);
    expect((await readBaseline(file, "b.json", root))?.entries()).toEqual(parseBaseline(formatBaseline(entries), "b.json"));
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace('"rule":"F401","path":"b.py"', '"rule":"E501","path":"b.py"'));
    await expect(readBaseline(file, "b.json", root)).rejects.toThrow(/entry 2 \(b\.py ruff E501\): its fingerprint does not match/);
    await writeFile(file, text);
    expect((await readBaseline(file, "b.json", root))?.entries()).toHaveLength(2);
  });

  it("says how to resolve git conflict markers", () => {
    const lines = formatBaseline(entries).split("\n");
    lines.splice(4, 0, "<<<<<<< HEAD");
    lines.splice(6, 0, "=======", lines[5]!, ">>>>>>> other");
    expect(bad(lines.join("\n"))).toMatch(
      /git merge conflict markers at line 5: resolve it in favour of either side .* `jackpool baseline update`/,
    );
  });
});

describe("the remembered holding", () => {
  /** A project with `a.py`, and a baseline accepting the findings `accepted` over it. */
  async function project(
    accepted: Finding[],
  ): Promise<{ root: string; hold: (findings: Finding[]) => ReturnType<typeof holdAgainstBaseline> }> {
    const root = await tempDir();
    await writeFile(path.join(root, "a.py"), "import os\nimport os\nimport os\n");
    const file = path.join(root, ".jackpool-baseline.json");
    const files = { "a.py": await readFile(path.join(root, "a.py"), "utf8") };
    await writeBaseline(
      file,
      identities(files, accepted).map((identity) => entryOf(identity)),
      root,
    );
    return {
      root,
      hold: async (findings) =>
        holdAgainstBaseline((await readBaseline(file, "b.json", root))!, findings, { root, contentRoot: root, baselineFile: "b.json" }),
    };
  }
  const held = path.join(".crackerjack", "baseline-held.json");

  it("is recalled for the same baseline and findings, and worked out again when they differ", async () => {
    const { hold } = await project([finding("a.py", 1), finding("a.py", 2, "F811")]);
    const findings = [finding("a.py", 1), finding("a.py", 2, "F811"), finding("a.py", 3, "E501", "Line too long (99 > 88)")];
    const first = await hold(findings);
    expect(first).toMatchObject({ remembered: false, fresh: new Set([2]), unmatched: [] });
    expect(await hold(findings)).toMatchObject({ remembered: true, fresh: new Set([2]), unmatched: [] });
    const fixed = await hold(findings.slice(1));
    expect(fixed).toMatchObject({ remembered: false, fresh: new Set([1]) });
    expect(fixed.unmatched.map((entry) => entry.rule)).toEqual(["F401"]);
  });

  it("is worked out again when a file whose lines it read has changed", async () => {
    // Two entries, three identical findings: the group is matched by line content, so a.py is read.
    const { root, hold } = await project([finding("a.py", 1), finding("a.py", 2)]);
    const three = [finding("a.py", 1), finding("a.py", 2), finding("a.py", 3)];
    expect(await hold(three)).toMatchObject({ remembered: false, fresh: new Set([2]) });
    expect(await hold(three)).toMatchObject({ remembered: true, fresh: new Set([2]) });
    // The first line rewritten: its finding no longer has an entry with its content, and the one left goes to it.
    await writeFile(path.join(root, "a.py"), "import  sys\nimport os\nimport os\n");
    expect(await hold(three)).toMatchObject({ remembered: false });
  });

  it("ignores a damaged record, and keeps none that depended on git's history", async () => {
    const { root, hold } = await project([finding("a.py", 1), finding("a.py", 2, "F811")]);
    const findings = [finding("a.py", 1), finding("a.py", 2, "F811")];
    await hold(findings);
    const record = JSON.parse(await readFile(path.join(root, held), "utf8")) as Record<string, unknown>;
    await writeFile(path.join(root, held), JSON.stringify({ ...record, fresh: [99] }));
    expect(await hold(findings)).toMatchObject({ remembered: false, fresh: new Set() });
    // An entry left over and a new finding: renames were looked for, so nothing is kept.
    const swapped = [finding("a.py", 1), finding("a.py", 3, "E501", "Line too long (99 > 88)")];
    expect(await hold(swapped)).toMatchObject({ remembered: false, fresh: new Set([1]) });
    expect(await hold(swapped)).toMatchObject({ remembered: false, fresh: new Set([1]) });
  });
});

describe("changed lines", () => {
  it("reads added lines from git diff -U0, by new file name", () => {
    const diff = [
      "diff --git a/a.py b/a.py",
      "--- a/a.py",
      "+++ b/a.py",
      "@@ -1,0 +2,2 @@",
      "+x",
      "+y",
      "@@ -9 +11 @@",
      "-old",
      "+new",
      "@@ -20,3 +22,0 @@",
      "diff --git a/gone.py b/gone.py",
      "--- a/gone.py",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      '+++ "b/\\303\\251t\\303\\251.py"',
      "@@ -0,0 +1 @@",
    ].join("\n");
    const changed = parseChangedLines(diff);
    expect([...(changed.get("a.py") as Set<number>)].sort((a, b) => a - b)).toEqual([2, 3, 11]);
    expect(changed.has("gone.py")).toBe(false);
    expect([...(changed.get("été.py") as Set<number>)]).toEqual([1]);
  });
});

describe("the report", () => {
  const report = (findings: Finding[]): Report => ({
    schemaVersion: 1,
    jackpool: "test",
    exitCode: findings.length > 0 ? 1 : 0,
    summary: { files: 1, findings: findings.length, tasks: 1, durationMs: 1, fromMemory: 0, savedMs: 0 },
    tools: [{ tool: "ruff", version: "1", status: "findings", files: 1, tasks: 1, findings: findings.length, durationMs: 1, notes: [] }],
    findings,
  });
  const gone = [{ tool: "ruff", rule: "F401", path: "a.py", message: "m", fingerprint: "0".repeat(16) }];

  it("passes when every finding is baselined, fails on a new one or (if asked) a gone entry", () => {
    const two = report([finding("a.py", 1), finding("a.py", 2, "F811")]);
    const allBaselined = markReport(two, new Set(), [], "b.json", false);
    expect(allBaselined.exitCode).toBe(0);
    expect(allBaselined.summary).toMatchObject({ findings: 0, baselined: 2 });
    expect(allBaselined.tools[0]).toMatchObject({ status: "passed", findings: 0 });
    const oneNew = markReport(two, new Set([1]), [], "b.json", false);
    expect(oneNew.exitCode).toBe(1);
    expect(oneNew.findings.map((item) => item.baseline)).toEqual(["baselined", "new"]);
    expect(markReport(two, new Set(), gone, "b.json", false).exitCode).toBe(0);
    expect(markReport(two, new Set(), gone, "b.json", true).exitCode).toBe(1);
  });

  it("keeps a failed tool's exit 2", () => {
    expect(markReport({ ...report([finding("a.py", 1)]), exitCode: 2 }, new Set(), [], "b.json", false).exitCode).toBe(2);
  });

  it("--changed-lines keeps findings on changed lines and line-less ones in changed files", () => {
    const kept = keepChangedLines(
      report([finding("a.py", 1), finding("a.py", 2), finding("a.py", 0), finding("b.py", 5), finding("new.py", 9)]),
      new Map<string, Set<number> | "all">([
        ["a.py", new Set([2])],
        ["new.py", "all"],
      ]),
      "main",
    );
    expect(kept.findings.map((item) => `${item.path}:${item.line}`)).toEqual(["a.py:2", "a.py:0", "new.py:9"]);
    expect(kept.changedLines).toEqual({ since: "main", hidden: 2 });
    expect(kept.exitCode).toBe(1);
  });
});
