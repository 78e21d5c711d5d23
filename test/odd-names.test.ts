import { expect, it } from "vitest";
import { brief, git, jackpool, scanJson, tempDir, writeFiles } from "./helpers.js";

// Every file has a problem for every tool: an unused import (ruff, vulture), a read-whole-file idiom
// (refurb), a misspelling (codespell), and a deeply nested function (complexipy).
const PROBLEMS = `import os


def nested(a, b, c, d):
    with open(a) as handle:
        text = handle.read()
    # teh end
    for x in text:
        if x:
            if b:
                if c:
                    if d:
                        for y in a:
                            if y and x:
                                while b:
                                    if c or d:
                                        break
    return text
`;

const ODD_NAMES = ["with space.py", "ünïcödé_名前.py", "-leading-dash.py", "--config=evil.py", "--help.py"];

it("scans files whose names have spaces, unicode, leading dashes or look like options", async () => {
  const root = await tempDir();
  await writeFiles(root, Object.fromEntries(ODD_NAMES.map((name) => [`pkg/${name}`, PROBLEMS])));
  await git(root, "init", "-q");
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "odd names");
  const { report, run } = await scanJson(root, ["--all", "--tools", "ruff,refurb,complexipy,vulture,codespell"]);
  expect(run.exitCode, run.stderr).toBe(1);
  for (const name of ODD_NAMES) {
    const file = `pkg/${name}`;
    expect(brief(report, "ruff"), name).toContain(`${file}:1:F401`);
    expect(brief(report, "refurb"), name).toContain(`${file}:5:FURB101`);
    expect(brief(report, "complexipy"), name).toContain(`${file}:4:CC001`);
    expect(brief(report, "vulture"), name).toContain(`${file}:1:unused-import`);
    expect(brief(report, "codespell"), name).toContain(`${file}:7:misspelling`);
  }
  expect(report.tools.every((tool) => tool.status === "findings")).toBe(true);
});

it("the text report writes control characters and bidi overrides in file names as escapes, never raw", async () => {
  const root = await tempDir();
  const name = "pkg/esc\u001b[2J\u001b[31mred\nforged\u202eyp.py";
  await writeFiles(root, { [name]: "import os\n" });
  await git(root, "init", "-q");
  await git(root, "add", "-A");
  const run = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--quiet"]);
  expect(run.exitCode).toBe(1);
  expect(run.stdout).not.toMatch(/[\u001b\u202e]/);
  expect(run.stdout.split("\n")[0]).toBe("pkg/esc\\x1b[2J\\x1b[31mred\\nforged\\u202eyp.py:1:8 ruff F401 `os` imported but unused");
  const { report } = await scanJson(root, ["--all", "--tools", "ruff"]);
  expect(brief(report, "ruff")).toEqual([`${name}:1:F401`]);
});
