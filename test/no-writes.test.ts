import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { forbiddenReading } from "../src/tools/reading/option-reading.js";
import { builtinTool } from "../src/tools/registry.js";
import type { ToolName } from "../src/core/tool-name.js";
import { VENV_BIN, brief, gitRepo, jackpool, scanJson } from "./helpers.js";

/** Every file of the project with its bytes, but git's own data and the caches jackpool and ruff keep. */
async function projectBytes(root: string): Promise<Map<string, string>> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => !/^(\.git|\.crackerjack|\.ruff_cache)\//.test(file))
    .sort();
  return new Map(await Promise.all(files.map(async (file) => [file, (await readFile(path.join(root, file))).toString("base64")] as const)));
}

const SOURCES = { "a.py": "import os\n# teh cat\n", "notes.txt": "teh dog\n" };

function configError(text: string): string {
  try {
    parseConfig(text, ".crackerjack.yaml");
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
}

const withArgs = (tool: ToolName, args: string[]): string =>
  `pool_scanning:\n  tools:\n    ${tool}:\n      args: ${JSON.stringify(args)}\n`;

describe("tools.<name>.args are read the way the tool's own parser reads them", () => {
  it.each([
    ["codespell", ["--write"], "--write-changes"],
    ["codespell", ["--write-c"], "--write-changes"],
    ["codespell", ["--write-c=yes"], "--write-changes"],
    ["codespell", ["-fw"], "-w"],
    ["codespell", ["-wf"], "-w"],
    ["codespell", ["-i3"], "-i"],
    ["codespell", ["--inter", "2"], "--interactive"],
    ["vulture", ["--make-white"], "--make-whitelist"],
    ["mypy", ["--install-t"], "--install-types"],
    ["mypy", ["--html", "out"], "--html-report"],
    ["skylos", ["--comment"], "--comment-out"],
    ["ruff", ["-nw"], "-w"],
    ["ruff", ["--fix-only"], "--fix-only"],
  ] as const)("%s %j is refused as %s, with its file:line", (tool, args, option) => {
    const message = configError(withArgs(tool, [...args]));
    expect(message).toBe(
      `.crackerjack.yaml:4: pool_scanning.tools.${tool}.args[0]: "${args[0]}" is not allowed: ${args[0] === option ? "" : `${tool} reads it as ${option}, and `}jackpool scan never lets a tool rewrite files or change the output jackpool reads`,
    );
  });

  it("@file is refused where argparse would read arguments from it", () => {
    expect(configError(withArgs("codespell", ["@more-args.txt"]))).toMatch(
      /args\[0\]: "@more-args.txt" is not allowed: codespell reads more arguments from the file after "@"/,
    );
    expect(configError(withArgs("mypy", ["--strict", "@flags"]))).toMatch(/args\[1\]: "@flags" is not allowed/);
  });

  it("parsers without prefixes accept what only argparse would stretch; an empty codespell regex is refused", () => {
    expect(configError(withArgs("ruff", ["--fi", "--select", "E"]))).toBe("accepted");
    expect(configError(withArgs("codespell", ["--ignore-words-list=teh", "-L", "wrod"]))).toBe("accepted");
    expect(configError(withArgs("codespell", ["--regex="]))).toMatch(/tools\.codespell\.args: codespell's --regex may not be empty/);
    expect(configError(withArgs("codespell", ["-r", ""]))).toMatch(/codespell's --regex may not be empty/);
  });

  // The prefix rule is conservative: this checks it refuses no option the pinned tools list besides the forbidden ones.
  it.each(["codespell", "vulture", "mypy"] as const)("no other option %s's --help lists is refused", async (tool) => {
    const adapter = builtinTool(tool)!.driver;
    const help = (await execa(path.join(VENV_BIN, tool), ["--help"])).stdout;
    const options = [...new Set(help.match(/(?<=^|[\s,[(])--?[A-Za-z][\w-]*\w(?![\w-])/gm))];
    expect(options.length).toBeGreaterThan(8);
    const refused = options.filter(
      (option) => !adapter.forbiddenArgs.includes(option) && forbiddenReading(option, adapter.forbiddenArgs, adapter.optionParser),
    );
    expect(refused).toEqual([]);
  });
});

describe("no tool writes to the project during a scan", () => {
  it("a hostile args in .crackerjack.yaml is refused in one line naming its file:line, and nothing is written", async () => {
    const root = await gitRepo({
      ...SOURCES,
      ".crackerjack.yaml": `pool_scanning:\n  enabled: false\n  tools:\n    codespell:\n      args: ["-fw"]\n`,
    });
    const before = await projectBytes(root);
    const run = await jackpool(root, ["scan", "--all", "--tools", "codespell"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'jackpool: .crackerjack.yaml:5: pool_scanning.tools.codespell.args[0]: "-fw" is not allowed: codespell reads it as -w, and jackpool scan never lets a tool rewrite files or change the output jackpool reads',
    );
    expect(await projectBytes(root)).toEqual(before);
  });

  it.each([
    [".codespellrc", "[codespell]\nskip = *.lock\nwrite-changes = true\n", 3, "write-changes", "--write-changes"],
    ["setup.cfg", "[metadata]\nname = x\n\n[codespell]\nWrite = \n", 5, "write", "--write-changes"],
    [
      "pyproject.toml",
      '[project]\nname = "x"\n\n[tool.codespell]\nignore-words-list = "wrod"\ninteractive = 3\n',
      6,
      "interactive",
      "--interactive",
    ],
  ])("codespell's %s turning writing on is refused with its file:line; nothing is written", async (file, text, line, key, option) => {
    const root = await gitRepo({ ...SOURCES, [file]: text, ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n" });
    const before = await projectBytes(root);
    const run = await jackpool(root, ["scan", "--all", "--tools", "codespell,ruff"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      `jackpool: ${file}:${line}: codespell setting "${key}" is not allowed: codespell reads it as ${option}, and jackpool scan never lets a tool rewrite files`,
    );
    expect(await projectBytes(root)).toEqual(before);
  });

  it("a settings file jackpool does not read cannot make codespell write either: codespell refuses writing with jackpool's --regex", async () => {
    const root = await gitRepo({
      ...SOURCES,
      "evil.cfg": "[codespell]\nwrite-changes =\n",
      ".crackerjack.yaml": 'pool_scanning:\n  enabled: false\n  tools:\n    codespell:\n      args: ["--config", "evil.cfg"]\n',
    });
    const before = await projectBytes(root);
    const { report, run } = await scanJson(root, ["--all", "--tools", "codespell"]);
    expect(run.exitCode).toBe(2);
    expect(report.tools[0]).toMatchObject({ tool: "codespell", status: "error" });
    expect(report.tools[0]?.notes.join("\n")).toContain("ERROR: --write-changes cannot be used together with --regex");
    expect(await projectBytes(root)).toEqual(before);
  });

  it("settings that would rewrite or write files do not: ruff fix-only, complexipy snapshot-create, mypy junit_xml; findings as usual", async () => {
    const root = await gitRepo({
      ...SOURCES,
      "b.py": "x: int = 'a'\n",
      "pyproject.toml": "[tool.ruff]\nfix-only = true\nunsafe-fixes = true\n\n[tool.complexipy]\nsnapshot-create = true\nfix = true\n",
      "mypy.ini": "[mypy]\njunit_xml = junit.xml\ninstall_types = True\nnon_interactive = True\n",
      ".codespellrc": "[codespell]\nregex = [a-z]+\n",
      ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n",
    });
    const before = await projectBytes(root);
    const { report, run } = await scanJson(root, ["--all", "--tools", "ruff,complexipy,mypy,codespell", "--no-cache"]);
    expect(run.exitCode).toBe(1);
    expect(brief(report, "ruff")).toEqual(["a.py:1:F401"]);
    expect(brief(report, "mypy")).toEqual(["b.py:1:assignment"]);
    expect(brief(report, "codespell")).toEqual(["a.py:2:misspelling", "notes.txt:1:misspelling"]);
    expect(report.tools.map((tool) => tool.status)).toEqual(["findings", "passed", "findings", "findings"]);
    expect(await projectBytes(root)).toEqual(before);
  });

  it.each(["mypy", "refurb"])("a mypy settings file asking for a report is refused with its file:line, for %s", async (tool) => {
    const root = await gitRepo({
      ...SOURCES,
      "mypy.ini": "[mypy]\nstrict = True\nlinecount_report = counts\n",
      ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n",
    });
    const before = await projectBytes(root);
    const run = await jackpool(root, ["scan", "--all", "--tools", tool]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'jackpool: mypy.ini:3: mypy setting "linecount_report" is not allowed: it writes a report into the project, and jackpool scan never lets a tool write files',
    );
    expect(await projectBytes(root)).toEqual(before);
  });
});
