import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { brief, gitRepo, jackpool, scanJson } from "./helpers.js";

const SOURCES = {
  "app.py": "import os\nimport subprocess\n\n\ndef unused_function():\n    subprocess.call('ls', shell=True)\n",
  "notes.txt": "teh cat\n",
};

/** A `.crackerjack.yaml` with no pools and these `tools` entries (YAML text, indented under `tools:`). */
function config(tools: string): string {
  return `pool_scanning:\n  enabled: false\n  pooled_tools: []\n  local_tools: []\n  tools:\n${tools}`;
}

describe("tools declared in config", () => {
  it("lines output: chunked, cached and reported like a built-in tool", async () => {
    const root = await gitRepo({
      ...SOURCES,
      ".crackerjack.yaml": config(
        [
          "    spelling:",
          "      command: [codespell]",
          "      version_command: [codespell, --version]",
          "      output: lines",
          "      pattern: '^(?<path>.+?):(?<line>\\d+): (?<message>.+)$'",
          "      rule: misspelling",
          "      exit_codes: [0, 65]",
          "    dead:",
          "      command: [vulture]",
          "      version_command: [vulture, --version]",
          "      scope: whole-project",
          "      include: ['*.py']",
          "      output: lines",
          "      pattern: '^(?<path>.+?):(?<line>\\d+): (?<message>unused (?<rule>\\w+) .*)$'",
          "      exit_codes: [0, 3]",
        ].join("\n") + "\n",
      ),
    });
    const cold = await scanJson(root, ["--all", "--max-chunk-files", "1"]);
    expect(cold.run.exitCode).toBe(1);
    expect(cold.report.tools.map((tool) => [tool.tool, tool.status, tool.tasks])).toEqual([
      // Its files are every file, as codespell's are: the config file too, each its own task.
      ["spelling", "findings", 3],
      ["dead", "findings", 1],
    ]);
    expect(brief(cold.report, "spelling")).toEqual(["notes.txt:1:misspelling"]);
    expect(brief(cold.report, "dead")).toEqual(["app.py:1:import", "app.py:5:function"]);
    const warm = await scanJson(root, ["--all"]);
    expect(warm.report.summary.tasks).toBe(0);
    expect(warm.report.findings).toEqual(cold.report.findings);
    // Its include patterns, like a built-in's: the text file is not vulture's.
    expect(warm.report.tools.find((tool) => tool.tool === "dead")?.files).toBe(1);
  });

  it("SARIF and JSON output read as the built-in tools read the same tools", async () => {
    const root = await gitRepo({
      ...SOURCES,
      ".crackerjack.yaml": config(
        [
          "    ruff-sarif:",
          "      command: [ruff, check, --output-format, sarif, --no-fix]",
          "      version_command: [ruff, --version]",
          "      include: ['*.py']",
          "      output: sarif",
          "    bandit-json:",
          "      command: [bandit, -f, json, -q]",
          "      version_command: [bandit, --version]",
          "      include: ['*.py']",
          "      output: json",
          "      fields: {list: results, path: filename, line: line_number, rule: test_id, message: issue_text, severity: issue_severity}",
        ].join("\n") + "\n",
      ),
    });
    const { report } = await scanJson(root, ["--all", "--tools", "ruff-sarif,bandit-json,ruff,bandit"]);
    const rules = (tool: string) => brief(report, tool);
    expect(rules("ruff-sarif")).toEqual(rules("ruff"));
    expect(rules("ruff-sarif")).toContain("app.py:1:F401");
    expect(rules("bandit-json")).toEqual(rules("bandit"));
    expect(rules("bandit-json")).toEqual(["app.py:2:B404", "app.py:6:B602", "app.py:6:B607"]);
  });

  it("fails loudly on output it cannot read or an exit it does not expect, and is not remembered without a version", async () => {
    const root = await gitRepo({
      ...SOURCES,
      ".crackerjack.yaml": config(
        [
          "    words:",
          "      command: [codespell]",
          "      output: lines",
          "      pattern: '^(?<path>[^:]+):(?<line>\\d+): (?<message>teh .*)$'",
        ].join("\n") + "\n",
      ),
    });
    const unread = await scanJson(root, ["--all"]);
    // codespell exits 65 with findings: not one of the default exit codes 0 and 1.
    expect(unread.run.exitCode).toBe(2);
    expect(unread.report.tools[0]?.notes[0]).toMatch(/^words: exited 65: /);
    await writeFile(
      path.join(root, ".crackerjack.yaml"),
      config(
        [
          "    words:",
          "      command: [codespell]",
          "      output: lines",
          "      pattern: '^(?<path>[^:]+):(?<line>\\d+): (?<message>nothing)$'",
          "      exit_codes: [0, 65]",
        ].join("\n") + "\n",
      ),
    );
    const garbled = await scanJson(root, ["--all"]);
    expect(garbled.run.exitCode).toBe(2);
    expect(garbled.report.tools[0]?.notes[0]).toBe("words: unexpected output: ./notes.txt:1: teh ==> the");
    const again = await scanJson(root, ["--all"]);
    expect(again.report.summary.fromMemory).toBe(0);
  });

  it.each([
    ["    mine:\n      enabled: true\n", /^c\.yaml:6: pool_scanning\.tools\.mine: unknown tool \(known tools: bandit, check-jsonschema, /],
    [
      "    mine:\n      command: [x]\n",
      /^c\.yaml:6: pool_scanning\.tools\.mine\.output: a tool of your own needs an output: sarif, lines or json$/,
    ],
    [
      "    mine:\n      command: [x]\n      output: lines\n      pattern: '(?<path>x'\n",
      /^c\.yaml:9: pool_scanning\.tools\.mine\.pattern: not a regular expression: /,
    ],
    [
      "    mine:\n      command: [x]\n      output: lines\n      pattern: '(?<path>.*)'\n",
      /^c\.yaml:9: pool_scanning\.tools\.mine\.pattern: needs the named groups \(\?<message>…\)$/,
    ],
    [
      "    mine:\n      command: [x]\n      output: sarif\n      version_command: [y, --version]\n",
      /^c\.yaml:9: pool_scanning\.tools\.mine\.version_command: must run the same program as command \(x\)$/,
    ],
    [
      "    mine:\n      command: [x]\n      output: sarif\n      colour: red\n",
      /^c\.yaml:9: pool_scanning\.tools\.mine\.colour: unknown key \(known keys: enabled, args, /,
    ],
    [
      "    mine:\n      command: x\n      output: sarif\n",
      /^c\.yaml:7: pool_scanning\.tools\.mine\.command: expected a command: a list of strings, the program first, got "x"$/,
    ],
  ])("a declaration that cannot work is refused at load, at its file:line: %j", (tools, expected) => {
    expect(() => parseConfig(config(tools), "c.yaml")).toThrow(expected);
  });

  it("lists a declared tool in `jackpool tools list`, found where its command is", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": config(
        "    spelling:\n      command: [codespell]\n      version_command: [codespell, --version]\n      output: lines\n      pattern: '^(?<path>[^:]+):(?<message>.+)$'\n",
      ),
    });
    const listed = await jackpool(root, ["tools", "list", "--format", "json"]);
    const rows = JSON.parse(listed.stdout) as { tool: string; found: boolean; version: string | null }[];
    expect(rows.find((row) => row.tool === "spelling")).toMatchObject({ found: true, version: "2.4.3" });
  });
});
