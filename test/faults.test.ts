import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLE_PROJECT, brief, fakeTools, projectCopy, running, scanJson, tempDir, writeFiles } from "./helpers.js";

/** A fake tool that answers --version like the real one and otherwise runs `body`. */
function fake(version: string, body: string): string {
  return `if [ "$1" = "--version" ]; then echo "${version}"; exit 0; fi\n${body}`;
}

describe("a failing tool never hides the other tools' findings", () => {
  it("a tool that crashes is reported as an error with its stderr, exit 2", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const bin = await fakeTools({
      refurb: fake("Refurb: v2.3.1", `echo 'Traceback (most recent call last):' >&2; echo 'RuntimeError: checker exploded' >&2; exit 1`),
    });
    const { report, run } = await scanJson(root, ["--all"], { pathDirs: [bin] });
    expect(run.exitCode).toBe(2);
    const refurb = report.tools.find((tool) => tool.tool === "refurb");
    expect(refurb?.status).toBe("error");
    expect(refurb?.notes.join("\n")).toContain("RuntimeError: checker exploded");
    expect(brief(report, "ruff")).toEqual(["src/inventory/models.py:1:F401", "src/inventory/models.py:33:SIM102"]);
    expect(brief(report, "vulture")).toHaveLength(3);
    expect(brief(report, "complexipy")).toEqual(["src/inventory/models.py:17:CC001"]);
  });

  it("a tool that hangs past its timeout is killed with its whole process group, exit 2", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const pids = path.join(await tempDir(), "pids");
    const bin = await fakeTools({
      // The tool starts a grandchild that would outlive a plain kill of the tool itself.
      codespell: fake("2.4.3", `sleep 600 & echo $! >> '${pids}'; echo $$ >> '${pids}'; wait`),
    });
    const config = (await readFile(path.join(root, ".crackerjack.yaml"), "utf8")).replace(
      '      exclude: ["*.lock"]',
      '      exclude: ["*.lock"]\n      timeout: 2',
    );
    await writeFiles(root, { ".crackerjack.yaml": config });
    const { report, run } = await scanJson(root, ["--all"], { pathDirs: [bin] });
    expect(run.exitCode).toBe(2);
    const codespell = report.tools.find((tool) => tool.tool === "codespell");
    expect(codespell?.status).toBe("timeout");
    expect(codespell?.notes.join("\n")).toContain("timed out after 2s");
    const started = (await readFile(pids, "utf8")).trim().split("\n").map(Number);
    expect(started).toHaveLength(2);
    for (const pid of started) expect(await running(pid), `pid ${pid} still running`).toBe(false);
    expect(brief(report, "ruff")).toHaveLength(2);
    expect(brief(report, "refurb")).toHaveLength(2);
  });

  it("a tool that prints 50 MB on both stdout and stderr is read to the end without deadlock", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const finding = `{"code":"F401","message":"big","filename":"src/inventory/models.py","location":{"row":1,"column":8},"end_location":{"row":1,"column":10},"severity":"error"}`;
    const bin = await fakeTools({
      ruff: fake(
        "ruff 0.17.6",
        // 50 MB of padding around a valid report, and 50 MB of noise on stderr at the same time.
        `python3 -c "
import sys
sys.stderr.write('warning: noise\\n' * 3_500_000)
sys.stdout.write('[' + ' ' * 50_000_000 + '${finding.replace(/"/g, '\\"')}]')
"; exit 1`,
      ),
    });
    const { report, run } = await scanJson(root, ["--all", "--tools", "ruff,vulture"], { pathDirs: [bin] });
    expect(run.exitCode).toBe(1);
    expect(report.tools.find((tool) => tool.tool === "ruff")?.status).toBe("findings");
    expect(report.findings.filter((item) => item.tool === "ruff")).toEqual([
      {
        tool: "ruff",
        rule: "F401",
        severity: "error",
        path: "src/inventory/models.py",
        line: 1,
        column: 8,
        endLine: 1,
        endColumn: 10,
        message: "big",
      },
    ]);
    expect(brief(report, "vulture")).toHaveLength(3);
  });

  it("5 MB of output a tool's parser does not understand is quoted in part in one note: the report stays small", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const bin = await fakeTools({ codespell: fake("2.4.3", `python3 -c "import sys; sys.stdout.write('garbage ' * 700_000 + '\\n')"`) });
    const { report, run } = await scanJson(root, ["--all", "--tools", "codespell"], { pathDirs: [bin] });
    expect(run.exitCode).toBe(2);
    expect(run.stdout.length).toBeLessThan(10_000);
    const [note] = report.tools[0]!.notes;
    expect(note).toMatch(/^codespell: unexpected output: (garbage ){200,}.*… \(\d{7} more characters\)$/);
    expect(note!.length).toBeLessThan(2100);
  });

  it("a configured tool that is not installed is named with how to install it; other tools still run", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { VENV_BIN } = await import("./helpers.js");
    const onlyRuff = await fakeTools({ ruff: `exec '${path.join(VENV_BIN, "ruff")}' "$@"` });
    const { report, run } = await scanJson(root, ["--all", "--tools", "ruff,vulture"], { pathDirs: [onlyRuff], withTools: false });
    expect(run.exitCode).toBe(2);
    const vulture = report.tools.find((tool) => tool.tool === "vulture");
    expect(vulture?.status).toBe("not-installed");
    expect(vulture?.notes[0]).toContain("pip install vulture==2.16");
    expect(brief(report, "ruff")).toEqual(["src/inventory/models.py:1:F401", "src/inventory/models.py:33:SIM102"]);
    const skipping = await scanJson(root, ["--all", "--tools", "ruff,vulture", "--skip-missing"], {
      pathDirs: [onlyRuff],
      withTools: false,
    });
    expect(skipping.run.exitCode).toBe(1);
  });
});
