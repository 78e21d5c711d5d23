// The baseline through the real CLI and real tools: one project, adopted, edited, fixed and ratcheted, scan after
// scan (the memory cache keeps each one short); bad baseline files stop the scan before any tool runs.
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/report.js";
import { REPO, SAMPLE_PROJECT, VENV_BIN, git, gitRepo, jackpool, projectCopy, scanJson, writeFiles } from "./helpers.js";
import { sarifValidator } from "./sarif-schema.js";

const BASELINE = ".jackpool-baseline.json";

// Five of the sample's tools, quick ones: per-file (ruff, complexipy), whole-project (vulture, skylos), no columns (codespell).
const CONFIG = `pool_scanning:
  enabled: false
  pooled_tools: [complexipy, skylos]
  local_tools: [ruff, vulture, codespell]
  tools:
    complexipy:
      args: ["--max-complexity-allowed", "10"]
`;

// Badly formatted code with findings on lines ruff format rewrites (quotes, spacing, a call split over lines).
const MESSY = `import os,sys
def unused_helper( a,b ):
    return   eval( 'prefix' + a )+b
`;

/** `path tool rule message` of the report's new findings. */
function newFindings(report: Report): string[] {
  return report.findings.filter((finding) => finding.baseline === "new").map((f) => `${f.path}:${f.line} ${f.tool} ${f.rule} ${f.message}`);
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

interface SarifLog {
  runs: { tool: { driver: { name: string } }; results: { ruleId: string; baselineState?: string; message: { text: string } }[] }[];
}

describe("baseline on a real project", () => {
  it("passes once adopted, survives moves, renames and reformatting, fails on new findings only, and ratchets", async () => {
    const root = await projectCopy(SAMPLE_PROJECT, { commit: false });
    await writeFiles(root, { ".crackerjack.yaml": CONFIG, "src/inventory/messy.py": MESSY });
    await git(root, "init", "-q", "-b", "main");
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "initial");

    // Adopt: every finding accepted, the file committed; the project then passes.
    const created = await jackpool(root, ["baseline", "create", "--quiet"]);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /^wrote \.jackpool-baseline\.json: \d+ entries \(codespell 2, complexipy 1, ruff \d+, skylos \d+, vulture \d+\)$/m,
    );
    const text = await readFile(path.join(root, BASELINE), "utf8");
    expect(text).toContain('{"tool":"ruff","rule":"F401","path":"src/inventory/models.py","message":"`os` imported but unused"');
    await git(root, "add", BASELINE);
    await git(root, "commit", "-qm", "baseline");
    const adopted = await scanJson(root, ["--all"]);
    expect(adopted.run.exitCode, adopted.run.stderr).toBe(0);
    expect(newFindings(adopted.report)).toEqual([]);
    expect(adopted.report.summary.baselined).toBe(adopted.report.findings.length);
    expect(adopted.report.baseline).toMatchObject({ file: BASELINE, gone: [] });
    const everything = await scanJson(root, ["--all", "--no-baseline"]);
    expect(everything.run.exitCode).toBe(1);
    expect(everything.report.findings).toHaveLength(adopted.report.findings.length);
    expect(everything.report.baseline).toBeUndefined();

    // Lines added above findings, a function moved, a file renamed, a file reformatted: nothing new.
    const models = await readFile(path.join(root, "src/inventory/models.py"), "utf8");
    const restock = models.slice(models.indexOf("def restock_plan"));
    const rest = models.slice(0, models.indexOf("def restock_plan"));
    const moved = rest.replace("@dataclass", `${restock}\n\n@dataclass`);
    await writeFile(path.join(root, "src/inventory/models.py"), `"""Models of the inventory."""\n\n# Three lines above.\n${moved}`);
    await git(root, "mv", "src/inventory/legacy.py", "src/inventory/old_legacy.py");
    await execa(path.join(VENV_BIN, "ruff"), ["format", "--no-cache", "src/inventory/messy.py"], { cwd: root });
    expect(await readFile(path.join(root, "src/inventory/messy.py"), "utf8")).toContain(`eval("prefix" + a)`);
    const edited = await scanJson(root, ["--all"]);
    expect(edited.run.exitCode, edited.run.stderr).toBe(0);
    expect(newFindings(edited.report)).toEqual([]);
    expect(edited.report.baseline?.gone).toEqual([]);
    expect(edited.report.findings.some((finding) => finding.path === "src/inventory/old_legacy.py")).toBe(true);

    // One new finding fails the scan and is the only one reported; a duplicate of a baselined one counts; a fixed one is gone.
    const notes = await readFile(path.join(root, "docs/notes.md"), "utf8");
    const misspelt = notes.split("\n").find((line) => line.includes("recieved"))!;
    await writeFile(path.join(root, "docs/notes.md"), `${notes}${misspelt}\n`);
    const models2 = await readFile(path.join(root, "src/inventory/models.py"), "utf8");
    await writeFile(path.join(root, "src/inventory/models.py"), models2.replace("import os\n", "import json\n"));
    const outputs = ["--format", "sarif:out.sarif", "--format", "text:out.txt", "--format", "gitlab:out.gitlab.json"];
    const changed = await scanJson(root, ["--all", ...outputs]);
    expect(changed.run.exitCode, changed.run.stderr).toBe(1);
    const fresh = newFindings(changed.report);
    expect(fresh.filter((line) => !line.includes("json"))).toEqual([
      expect.stringMatching(/^docs\/notes\.md:\d+ codespell misspelling recieved/),
    ]);
    expect(fresh.filter((line) => line.includes("json")).map((line) => line.split(" ")[1])).toEqual(
      expect.arrayContaining(["ruff", "vulture", "skylos"]),
    );
    expect(changed.report.summary.findings).toBe(fresh.length);
    const schema = JSON.parse(await readFile(path.join(REPO, "schema", "report.schema.json"), "utf8")) as object;
    const ajv = new Ajv({ allErrors: true });
    ajv.validate(schema, changed.report);
    expect(ajv.errors ?? []).toEqual([]);
    const gone = changed.report.baseline!.gone.map((entry) => `${entry.tool} ${entry.rule} ${entry.message}`);
    expect(gone).toEqual(
      expect.arrayContaining(["ruff F401 `os` imported but unused", "vulture unused-import unused import 'os' (90% confidence)"]),
    );
    const report = await readFile(path.join(root, "out.txt"), "utf8");
    expect(report).toContain(`baselined findings not shown, accepted by ${BASELINE} (--show-baselined lists them)`);
    expect(report).toContain(`${gone.length} baselined findings are gone: run \`jackpool baseline update\` to drop them`);
    expect(report).not.toContain("eval");
    const gitlab = await readJson<{ description: string }[]>(path.join(root, "out.gitlab.json"));
    expect(gitlab).toHaveLength(fresh.length);
    const sarif = await readJson<SarifLog>(path.join(root, "out.sarif"));
    expect((await sarifValidator())(sarif)).toEqual([]);
    const states = sarif.runs.flatMap((run) => run.results.map((result) => `${run.tool.driver.name} ${result.baselineState}`));
    expect(new Set(states)).toEqual(
      new Set([
        "ruff new",
        "ruff unchanged",
        "ruff absent",
        "vulture new",
        "vulture unchanged",
        "vulture absent",
        "skylos new",
        "skylos unchanged",
        "skylos absent",
        "codespell new",
        "codespell unchanged",
        "complexipy unchanged",
      ]),
    );

    // The ratchet: update drops what is gone and adds nothing; --accept-new adds the rest with its reason.
    const updated = await jackpool(root, ["baseline", "update", "--quiet"]);
    expect(updated.exitCode, updated.stderr).toBe(0);
    expect(updated.stdout).toContain(`${gone.length} gone entries dropped, 0 new accepted`);
    expect(updated.stdout).toContain(`${fresh.length} new findings not added`);
    const after = await scanJson(root, ["--all"]);
    expect(after.run.exitCode).toBe(1);
    expect(after.report.baseline?.gone).toEqual([]);
    expect(newFindings(after.report)).toEqual(fresh);
    const accepted = await jackpool(root, ["baseline", "update", "--accept-new", "--reason", "notes are prose", "--quiet"]);
    expect(accepted.exitCode, accepted.stderr).toBe(0);
    expect((await readFile(path.join(root, BASELINE), "utf8")).match(/"reason":"notes are prose"/g)).toHaveLength(fresh.length);
    const tight = await scanJson(root, ["--all"]);
    expect(tight.run.exitCode).toBe(0);

    // baseline.fail_on_gone: a fixed finding left in the file fails the scan.
    await writeFile(path.join(root, ".crackerjack.yaml"), `${CONFIG}  baseline:\n    fail_on_gone: true\n`);
    await writeFile(path.join(root, "docs/notes.md"), notes);
    const strict = await scanJson(root, ["--all"]);
    expect(strict.run.exitCode).toBe(1);
    expect(newFindings(strict.report)).toEqual([]);
    expect(strict.report.baseline?.gone.map((entry) => entry.tool)).toEqual(["codespell"]);

    // The pre-commit hook's scan (--staged) holds what is staged against the baseline too.
    await writeFile(path.join(root, ".crackerjack.yaml"), CONFIG);
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "work");
    const messy = path.join(root, "src/inventory/messy.py");
    await writeFile(messy, `${await readFile(messy, "utf8")}import sys\n`);
    await git(root, "add", "src/inventory/messy.py");
    const staged = await scanJson(root, ["--staged"]);
    expect(staged.run.exitCode, staged.run.stderr).toBe(1);
    const stagedNew = newFindings(staged.report);
    expect(stagedNew.length).toBeGreaterThan(0);
    expect(stagedNew.filter((line) => !line.startsWith("src/inventory/messy.py:"))).toEqual([]);
    expect(staged.report.summary.baselined).toBeGreaterThan(0);
  }, 60_000);
});

describe("bad baseline files", () => {
  const entry =
    '{"tool":"ruff","rule":"F401","path":"a.py","message":"`os` imported but unused","source":"0bc74ae3e502","occurrence":0,"fingerprint":"ba4a2932d4b92faf"}';
  const cases: [string, string, RegExp][] = [
    ["malformed", '{"jackpoolBaseline": 1, "entries": [', /^jackpool: \.jackpool-baseline\.json: not valid JSON/],
    ["newer", '{"jackpoolBaseline": 7, "entries": []}', /^jackpool: \.jackpool-baseline\.json: written by a newer jackpool/],
    [
      "inconsistent",
      `{"jackpoolBaseline": 1, "entries": [\n${entry.replace("F401", "F811")}\n]}`,
      /^jackpool: \.jackpool-baseline\.json: entry 1 \(a\.py ruff F811\): its fingerprint does not match/,
    ],
    [
      "conflicted",
      `{"jackpoolBaseline": 1, "entries": [\n<<<<<<< HEAD\n${entry}\n=======\n>>>>>>> topic\n]}`,
      /^jackpool: \.jackpool-baseline\.json: git merge conflict markers at line 2: resolve it in favour of either side.*`jackpool baseline update`$/,
    ],
  ];
  it.each(cases)("%s: one line naming the file and entry, exit 2, nothing overwritten", async (kind, content, message) => {
    const root = await gitRepo({ [BASELINE]: content, "a.py": "import os\n" });
    const commands = [
      ["scan", "--all", "--tools", "ruff", "--backend", "local"],
      ["baseline", "update"],
    ];
    // One case is enough for what does not depend on the kind of damage: create refuses too, --no-baseline ignores the file.
    if (kind === "conflicted") commands.push(["baseline", "create"]);
    for (const args of commands) {
      const run = await jackpool(root, args);
      expect(run.exitCode, args.join(" ")).toBe(2);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(message)]);
      expect(await readFile(path.join(root, BASELINE), "utf8")).toBe(content);
    }
    if (kind !== "conflicted") return;
    const ignored = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--backend", "local", "--no-baseline", "--quiet"]);
    expect(ignored.exitCode).toBe(1);
  });
});

describe("--since REF --changed-lines", () => {
  it("reports only findings on lines changed since REF, with no baseline file", async () => {
    const root = await gitRepo({ "a.py": "import os\n\n\ndef f():\n    return 1\n" });
    await git(root, "branch", "-M", "main");
    await git(root, "checkout", "-qb", "topic");
    await writeFile(path.join(root, "a.py"), "import os\nimport sys\n\n\ndef f():\n    return 1\n");
    await writeFiles(root, { "b.py": "import json\n" });
    const { report, run } = await scanJson(root, ["--since", "main", "--changed-lines", "--tools", "ruff", "--backend", "local"]);
    expect(run.exitCode, run.stderr).toBe(1);
    expect(report.findings.map((finding) => `${finding.path}:${finding.line} ${finding.rule}`)).toEqual(["a.py:2 F401", "b.py:1 F401"]);
    expect(report.changedLines).toEqual({ since: "main", hidden: 1 });
    const text = await jackpool(root, ["scan", "--since", "main", "--changed-lines", "--tools", "ruff", "--backend", "local"]);
    expect(text.stdout).toContain("1 finding on lines unchanged since main not shown (--changed-lines)");
    await rename(path.join(root, "b.py"), path.join(root, "c.py"));
    const alone = await jackpool(root, ["scan", "--changed-lines", "--tools", "ruff", "--backend", "local"]);
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toContain("--changed-lines goes with --since <ref>");
  });
});
