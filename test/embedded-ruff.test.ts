import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/report.js";
import type { Finding } from "../src/core/finding.js";
import { OLDER_RUFF_BIN, REAL_PROJECT, SAMPLE_PROJECT, gitRepo, projectCopy, scanJson } from "./helpers.js";

/** The embedded WebAssembly ruff and the native ruff of the same version (test/requirements-older-ruff.txt). */
const EMBEDDED_VERSION = "0.17.4";

/** A ruff-only scan with no native ruff anywhere on PATH: the embedded ruff runs. */
function embeddedScan(root: string, args: string[] = []) {
  return scanJson(root, ["--all", "--tools", "ruff", "--no-cache", ...args], { withTools: false });
}

/** The same scan by native ruff of the embedded ruff's version. */
function nativeScan(root: string, args: string[] = []) {
  return scanJson(root, ["--all", "--tools", "ruff", "--no-cache", ...args], { withTools: false, pathDirs: [OLDER_RUFF_BIN] });
}

/** Findings without documentation links, which only native ruff gives. */
function withoutLinks(findings: readonly Finding[]): Finding[] {
  return findings.map((finding) => {
    const copy = { ...finding };
    delete copy.url;
    return copy;
  });
}

function ruffNotes(report: Report): string[] {
  return report.tools.find((tool) => tool.tool === "ruff")?.notes ?? [];
}

describe("embedded ruff (WebAssembly), when no native ruff is installed", () => {
  it("finds on the example project exactly what native ruff of its version finds, and says it ran embedded", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const embedded = await embeddedScan(root);
    const native = await nativeScan(root);
    expect(native.report.tools[0]?.version).toBe(EMBEDDED_VERSION);
    expect(embedded.report.tools[0]?.version).toBe(`${EMBEDDED_VERSION}+wasm`);
    expect(embedded.run.exitCode).toBe(1);
    expect(embedded.report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.column}:${finding.rule}`)).toEqual([
      "src/inventory/models.py:1:8:F401",
      "src/inventory/models.py:33:13:SIM102",
    ]);
    expect(embedded.report.findings).toEqual(withoutLinks(native.report.findings));
    expect(ruffNotes(embedded.report)).toEqual([
      `native ruff not found: using the embedded WebAssembly ruff ${EMBEDDED_VERSION}, without rule documentation links`,
    ]);
  });

  it("honours the project's ruff settings: rules, line length, target version from requires-python", async () => {
    const root = await gitRepo(
      {
        "pyproject.toml":
          '[project]\nname = "p"\nrequires-python = ">=3.10"\n\n[tool.ruff]\nline-length = 40\n\n[tool.ruff.lint]\nselect = ["E", "F", "UP", "B", "SIM"]\nignore = ["E741"]\n',
        "app/main.py":
          "from typing import List\nimport os\n\n\ndef f(values: List[int], l=[]):\n    if values:\n        if len(values) > 1:\n            return 'a very long line that is over forty characters'\n    l = 1  # noqa: F841\n    return l\n",
        "app/broken.py": "def g(:\n    pass\n",
      },
      { commit: false },
    );
    const embedded = await embeddedScan(root);
    const native = await nativeScan(root);
    const rules = embedded.report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`);
    expect(rules, JSON.stringify(rules)).toEqual(
      expect.arrayContaining([
        "app/main.py:1:UP035",
        "app/main.py:2:F401",
        "app/main.py:5:B006",
        "app/main.py:6:SIM102",
        "app/main.py:8:E501",
        "app/broken.py:1:invalid-syntax",
      ]),
    );
    expect(rules).not.toContain("app/main.py:9:F841"); // noqa comments work
    expect(embedded.report.findings).toEqual(withoutLinks(native.report.findings));
    expect(embedded.report.findings.length).toBeGreaterThan(6);
  });

  it("names every setting and file it cannot honour, in the report", async () => {
    const root = await gitRepo(
      {
        "ruff.toml": 'extend-exclude = ["generated"]\n\n[lint]\nper-file-ignores = { "tests/*" = ["F401"] }\n',
        "pkg/sub/ruff.toml": "line-length = 60\n",
        "pkg/a.py": "import os\n",
        "pkg/stubs.pyi": "import os\n",
        ".crackerjack.yaml": 'pool_scanning:\n  tools:\n    ruff:\n      args: ["--select", "E"]\n',
      },
      { commit: false },
    );
    const { report, run } = await embeddedScan(root);
    expect(run.exitCode).toBe(1);
    expect(ruffNotes(report)).toEqual([
      `native ruff not found: using the embedded WebAssembly ruff ${EMBEDDED_VERSION}, without rule documentation links`,
      "1 .pyi/.ipynb files not checked: the embedded ruff checks .py files only",
      "tools.ruff.args are not honoured by the embedded ruff",
      "ruff.toml: `extend-exclude` is not honoured by the embedded ruff",
      "ruff.toml: `lint.per-file-ignores` is not honoured by the embedded ruff",
      "pkg/sub/ruff.toml: nested ruff settings are not honoured by the embedded ruff",
    ]);
    expect(report.findings.map((finding) => `${finding.path}:${finding.rule}`)).toEqual(["pkg/a.py:F401"]);
  });

  it("settings it rejects make ruff fail with the reason, exit 2", async () => {
    const root = await gitRepo({ "pyproject.toml": "[tool.ruff]\nline-lenght = 40\n", "a.py": "import os\n" }, { commit: false });
    const { report, run } = await embeddedScan(root);
    expect(run.exitCode).toBe(2);
    expect(report.tools[0]?.status).toBe("error");
    expect(ruffNotes(report).at(-1)).toMatch(/^ruff: embedded ruff rejects the settings in pyproject\.toml: unknown field `line-lenght`/);
  });

  it.runIf(existsSync(REAL_PROJECT))("finds on pygments exactly what native ruff of its version finds, across worker threads", async () => {
    const root = await projectCopy(REAL_PROJECT);
    const embedded = await embeddedScan(root, ["--jobs", "2"]);
    const native = await nativeScan(root);
    expect(embedded.report.summary.tasks).toBeGreaterThan(1);
    expect(embedded.report.findings.length).toBeGreaterThan(1000);
    expect(embedded.report.findings).toEqual(withoutLinks(native.report.findings));
  });
});
