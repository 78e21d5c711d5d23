import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import gitleaks from "../src/tools/builtin/gitleaks.js";
import {
  JACKPOOL,
  SAMPLE_PROJECT,
  SYSTEM_PATH,
  VENV_BIN,
  brief,
  fakeTools,
  git,
  jackpool,
  projectCopy,
  scanJson,
  writeFiles,
} from "./helpers.js";

/** Every file below `dir`, recursively, with its bytes. */
async function allFiles(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  if (!existsSync(dir)) return [];
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    names
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { file, bytes: await readFile(file) };
      }),
  );
}

describe("mypy", () => {
  it("keeps its incremental cache in .crackerjack/mypy-cache, and a config it cannot load is a crash, not a pass", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report } = await scanJson(root, ["--all", "--tools", "mypy", "--no-cache"]);
    expect(brief(report, "mypy")).toEqual(["src/inventory/report.py:9:assignment"]);
    expect(report.tools[0]).toMatchObject({ tool: "mypy", version: "2.4.1", status: "findings" });
    expect(existsSync(path.join(root, ".crackerjack", "mypy-cache", "CACHEDIR.TAG"))).toBe(true);
    expect(existsSync(path.join(root, ".mypy_cache"))).toBe(false);
    expect(await execa("git", ["status", "--porcelain"], { cwd: root }).then((result) => result.stdout)).toBe("");

    await writeFile(path.join(root, "mypy.ini"), "[mypy]\nplugins = no_such_plugin\n");
    const { report: broken, run } = await scanJson(root, ["--all", "--tools", "mypy", "--no-cache"]);
    expect(run.exitCode).toBe(2);
    expect(broken.tools[0]).toMatchObject({ tool: "mypy", status: "error" });
    expect(broken.tools[0]?.notes).toEqual([
      `mypy: exited 2: mypy.ini:2: Error importing plugin "no_such_plugin": No module named 'no_such_plugin'`,
    ]);
  });

  it("reports a syntax error (mypy's exit 2) as a finding", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, { "src/inventory/broken.py": "def f(:\n" });
    await git(root, "add", "-A");
    const { report, run } = await scanJson(root, ["--all", "--tools", "mypy", "--no-cache"]);
    expect(run.exitCode).toBe(1);
    expect(brief(report, "mypy")).toContain("src/inventory/broken.py:1:syntax");
  });
});

describe("skylos", () => {
  it("a crash (non-zero exit, no JSON report) is an error with skylos's own words", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const fake = await fakeTools({
      skylos: 'case "$1" in --version) echo "Skylos v5.1.2"; exit 0;; esac\necho "Traceback: boom" >&2\nexit 1',
    });
    const { report, run } = await scanJson(root, ["--all", "--tools", "skylos", "--no-cache"], { pathDirs: [fake], withTools: false });
    expect(run.exitCode).toBe(2);
    expect(report.tools[0]).toMatchObject({
      tool: "skylos",
      version: "5.1.2",
      status: "error",
      notes: ["skylos: exited 1: Traceback: boom"],
    });
  });
});

describe("semgrep", () => {
  it("runs offline: in a network namespace with no network at all, it finishes and finds what it finds online", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const args = ["scan", "--all", "--tools", "semgrep", "--no-cache", "--format", "json", "--quiet"];
    const PATH = [VENV_BIN, SYSTEM_PATH].join(path.delimiter);
    const offline = await execa("unshare", ["--net", "node", JACKPOOL, ...args], {
      cwd: root,
      reject: false,
      env: { PATH, NO_COLOR: "1" },
      timeout: 120_000,
    });
    expect(offline.timedOut).toBe(false);
    expect(offline.exitCode).toBe(1);
    const report = JSON.parse(offline.stdout) as Parameters<typeof brief>[0];
    expect(brief(report, "semgrep")).toEqual(["src/inventory/legacy.py:7:jackpool.eval-exec-of-input"]);
    // Its settings and logs went to the task directory, not the user's home or the project.
    expect(existsSync(path.join(root, ".semgrep"))).toBe(false);
  });

  it("uses the project's rule files, whose content is part of the cache key; a broken rule file is a crash", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const rule = (message: string): string =>
      `rules:\n  - id: no-print\n    languages: [python]\n    severity: INFO\n    message: ${message}\n    pattern: print(...)\n`;
    await writeFiles(root, {
      "rules/house.yml": rule("use logging"),
      ".crackerjack.yaml": "pool_scanning:\n  tools:\n    semgrep:\n      config: [rules/house.yml]\n",
    });
    const first = await scanJson(root, ["--all", "--tools", "semgrep"]);
    // The id the rule file declares (semgrep itself says `rules.no-print`), at each print() in report.py.
    expect(brief(first.report, "semgrep")).toEqual(["src/inventory/report.py:10:no-print", "src/inventory/report.py:12:no-print"]);
    expect(first.report.findings[0]).toMatchObject({ severity: "info", column: 5, message: "use logging" });
    const warm = await scanJson(root, ["--all", "--tools", "semgrep"]);
    expect(warm.report.summary.fromMemory).toBe(4);

    await writeFiles(root, { "rules/house.yml": rule("use the logging module") });
    const edited = await scanJson(root, ["--all", "--tools", "semgrep", "--explain"]);
    expect(edited.report.summary.fromMemory).toBe(0);
    expect(edited.run.stderr).toContain("miss  semgrep src/inventory/report.py (config changed: rules/house.yml)");
    expect(edited.report.findings[0]?.message).toBe("use the logging module");

    await writeFiles(root, { "rules/house.yml": "rules:\n  - id: broken\n    pattern: print(\n" });
    const broken = await scanJson(root, ["--all", "--tools", "semgrep"]);
    expect(broken.run.exitCode).toBe(2);
    expect(broken.report.tools[0]?.status).toBe("error");
    expect(broken.report.tools[0]?.notes[0]).toMatch(/^semgrep: exited 7: /);
  });

  it("refuses registry rules and --config in args, with file and line", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, {
      ".crackerjack.yaml": "pool_scanning:\n  tools:\n    semgrep:\n      config:\n        - rules.yml\n        - p/python\n",
    });
    const registry = await jackpool(root, ["scan", "--all"]);
    expect(registry.exitCode).toBe(2);
    expect(registry.stderr.trim()).toBe(
      'jackpool: .crackerjack.yaml:6: pool_scanning.tools.semgrep.config[1]: "p/python" is a semgrep registry pack: jackpool runs semgrep offline, with local rule files only',
    );
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  tools:\n    semgrep:\n      args: [--config, auto]\n" });
    const args = await jackpool(root, ["scan", "--all"]);
    expect(args.stderr.trim()).toBe(
      'jackpool: .crackerjack.yaml:4: pool_scanning.tools.semgrep.args: "--config" is not allowed: semgrep\'s rules come from tools.semgrep.config (local rule files)',
    );
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  tools:\n    semgrep:\n      config: [missing.yml]\n" });
    const missing = await jackpool(root, ["scan", "--all", "--tools", "semgrep", "--backend", "local"]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toBe(`jackpool: pool_scanning.tools.semgrep.config: rule file "missing.yml" not found in ${root}`);
  });
});

describe("gitleaks", () => {
  // Built at run time from pieces, so no file of this repository holds anything shaped like a key.
  const fakeKey = ["AKIA", "Q3EGRT7X", "MPL4ZW2N"].join("");

  it("never lets a secret reach the terminal, the report, the cache or the project state", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, { "deploy/settings.py": `# deployment\nAWS_ACCESS_KEY_ID = "${fakeKey}"\n` });
    await git(root, "add", "-A");
    const text = await jackpool(root, ["scan", "--all", "--tools", "gitleaks", "--verbose"]);
    const { report, run } = await scanJson(root, ["--all", "--tools", "gitleaks", "--explain"]);
    expect(run.exitCode).toBe(1);
    expect(report.findings.filter((finding) => finding.path === "deploy/settings.py")).toEqual([
      {
        tool: "gitleaks",
        rule: "aws-access-token",
        severity: "error",
        path: "deploy/settings.py",
        line: 2,
        column: 22,
        endLine: 2,
        endColumn: 42,
        message: expect.stringMatching(/AWS/) as string,
      },
    ]);
    expect(report.summary.fromMemory).toBeGreaterThan(0);
    for (const output of [text.stdout, text.stderr, run.stdout, run.stderr]) {
      expect(output).not.toContain(fakeKey);
      expect(output).not.toContain(fakeKey.slice(4));
    }
    const stored = await allFiles(path.join(root, ".crackerjack"));
    expect(stored.some(({ file }) => file.includes(`${path.sep}cache${path.sep}`))).toBe(true);
    for (const { file, bytes } of stored) expect(bytes.includes(fakeKey.slice(4)), file).toBe(false);
  });

  it("finds what `gitleaks dir .` finds on the project, and a broken .gitleaks.toml is a crash", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const direct = await execa(
      path.join(VENV_BIN, "gitleaks"),
      ["dir", "--no-banner", "--redact", "--report-format", "json", "--report-path", "-", "."],
      {
        cwd: root,
        reject: false,
      },
    );
    expect(direct.exitCode).toBe(1);
    const leaks = (JSON.parse(direct.stdout) as { File: string; StartLine: number; RuleID: string }[]).map(
      (leak) => `${leak.File}:${leak.StartLine}:${leak.RuleID}`,
    );
    const { report } = await scanJson(root, ["--all", "--tools", "gitleaks", "--no-cache"]);
    expect(brief(report, "gitleaks")).toEqual(leaks);
    expect(report.tools[0]).toMatchObject({ version: "8.30.1" });

    await writeFiles(root, { ".gitleaks.toml": "[[rules]]\nid = \n" });
    const broken = await scanJson(root, ["--all", "--tools", "gitleaks", "--no-cache"]);
    expect(broken.run.exitCode).toBe(2);
    expect(broken.report.tools[0]?.status).toBe("error");
    expect(broken.report.tools[0]?.notes[0]).toMatch(
      /^gitleaks: exited 1 without a report: \S+ FTL unable to load gitleaks config, err: While parsing config: toml: /,
    );
  });

  it("reads its version from `gitleaks version`, and says unknown for a build without one", () => {
    expect(gitleaks.driver.parseVersion("v8.30.1\n")).toBe("8.30.1");
    expect(gitleaks.driver.parseVersion("version is set by build process\n")).toBe("unknown");
  });
});

describe("check-jsonschema", () => {
  it("validates the files each configured schema names; the schema's content is part of the cache key", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report } = await scanJson(root, ["--all", "--tools", "check-jsonschema"]);
    expect(report.findings.filter((finding) => finding.tool === "check-jsonschema")).toEqual([
      {
        tool: "check-jsonschema",
        rule: "schema-violation",
        severity: "error",
        path: "config/settings.json",
        line: 1,
        column: null,
        message: "$.reorder_days: 'seven' is not of type 'integer'",
      },
    ]);
    const schema = path.join(root, "config", "settings.schema.json");
    await writeFile(schema, (await readFile(schema, "utf8")).replace('"type": "integer"', '"type": ["integer", "string"]'));
    const relaxed = await scanJson(root, ["--all", "--tools", "check-jsonschema"]);
    expect(relaxed.report.summary.fromMemory).toBe(0);
    expect(relaxed.run.exitCode).toBe(0);
  });

  it("a schema that is not JSON is a crash; no schemas configured is a skip that says why", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, { "config/settings.schema.json": "{ not json" });
    const broken = await scanJson(root, ["--all", "--tools", "check-jsonschema", "--no-cache"]);
    expect(broken.run.exitCode).toBe(2);
    expect(broken.report.tools[0]?.notes[0]).toMatch(/^check-jsonschema: exited 1: /);

    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  local_tools: [check-jsonschema]\n  pooled_tools: []\n" });
    const none = await scanJson(root, ["--all"]);
    expect(none.run.exitCode).toBe(0);
    expect(none.report.tools[0]).toMatchObject({
      tool: "check-jsonschema",
      status: "skipped",
      notes: ["none of its 10 files is covered by its settings (tools.check-jsonschema)"],
    });
  });

  it("says which schema entry is wrong, with file and line", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, {
      ".crackerjack.yaml":
        "pool_scanning:\n  tools:\n    check-jsonschema:\n      schemas:\n        - builtin: vendor.github-workflows\n          files: ['.github/workflows/*.yml']\n        - schema: a.json\n          builtin: vendor.renovate\n          files: ['*.json']\n",
    });
    const both = await jackpool(root, ["scan", "--all"]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr.trim()).toBe(
      "jackpool: .crackerjack.yaml:7: pool_scanning.tools.check-jsonschema.schemas[1]: needs exactly one of schema (a file) or builtin (a schema check-jsonschema ships)",
    );
    await writeFiles(root, {
      ".crackerjack.yaml":
        "pool_scanning:\n  tools:\n    check-jsonschema:\n      schemas:\n        - schema: a.json\n          file: ['*.json']\n",
    });
    const typo = await jackpool(root, ["scan", "--all"]);
    expect(typo.stderr.trim()).toBe(
      "jackpool: .crackerjack.yaml:6: pool_scanning.tools.check-jsonschema.schemas[0].file: unknown key (known keys: schema, builtin, files)",
    );
  });
});
