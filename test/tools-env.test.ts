import { cp, mkdtemp, readFile, readdir, rm, stat, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { jackpoolLock, normalizedName } from "../src/toolchain/lock.js";
import { REQUIREMENTS_TXT } from "../src/toolchain/lock-text.generated.js";
import { environmentProblem } from "../src/toolchain/health.js";
import { managedEnv } from "../src/toolchain/managed-env.js";
import { pinnedTools } from "../src/toolchain/pinned-tools.js";
import {
  REPO,
  SAMPLE_PROJECT,
  brief,
  fakeTools,
  jackpool,
  projectCopy,
  scanJson,
  tempDir,
  writeFiles,
  type JackpoolRun,
} from "./helpers.js";

const lock = jackpoolLock();
const tools = pinnedTools(lock);
const pythonVersion = (await execa("python3", ["-c", "import platform; print(platform.python_version())"])).stdout;
// Go's build cache lives under XDG_CACHE_HOME too: keep the machine's, so gitleaks is not compiled from cold each run.
const goCache = (await execa("go", ["env", "GOCACHE"])).stdout;

/** Directories shared by the tests of one describe block, removed after it. */
async function sharedDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Runs jackpool with only system commands on PATH (no .venv) and `cache` as XDG_CACHE_HOME. */
function withCache(cache: string, cwd: string, args: string[], pathDirs: string[] = []): Promise<JackpoolRun> {
  return jackpool(cwd, args, { withTools: false, pathDirs, env: { XDG_CACHE_HOME: cache, GOCACHE: goCache } });
}

/** A fake ruff that answers --version with `version` and finds nothing. */
async function fakeRuff(version: string): Promise<string> {
  return fakeTools({ ruff: `if [ "$1" = --version ]; then echo "ruff ${version}"; else echo '[]'; fi` });
}

/** A row of install's tool table: name, version and path, in columns of any width. */
function installedRow(tool: string, version: string, file: string): RegExp {
  const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${literal(tool)} +${literal(version)} +${literal(file)}$`, "m");
}

describe("jackpool tools install, from a wheelhouse filled by jackpool tools download", () => {
  let wheelhouse: string;
  let cache: string;
  let download: JackpoolRun;
  let install: JackpoolRun;
  const managed = () => managedEnv(lock, { XDG_CACHE_HOME: cache });

  beforeAll(async () => {
    wheelhouse = await sharedDir("jackpool-wheelhouse-");
    cache = await sharedDir("jackpool-xdg-");
    download = await withCache(cache, REPO, ["tools", "download", "--wheelhouse", wheelhouse]);
    install = await withCache(cache, REPO, ["tools", "install", "--offline", "--wheelhouse", wheelhouse]);
  }, 900_000); // downloads and installs every pinned package and builds gitleaks: minutes on a busy machine
  afterAll(async () => {
    await Promise.all([wheelhouse, cache].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("download puts a package of every pin, and the Go tools' modules, into the wheelhouse", async () => {
    expect(download.stderr).toBe("");
    expect(download.exitCode).toBe(0);
    expect(download.stdout.split("\n")).toEqual([
      `downloaded ${lock.python.length} pinned packages for Python ${pythonVersion} into ${wheelhouse}`,
      `gitleaks v8.30.1: its Go modules are in ${path.join(wheelhouse, "go-modules")}`,
    ]);
    const files = await readdir(wheelhouse);
    // Distribution file names spell a name as its uploader did (`backports.tarfile-…`, `PyYAML-…`): compare them normalized.
    const distribution = (file: string): string => {
      const [name = "", version = ""] = file.split("-");
      return `${normalizedName(name)}==${version.replace(/\.(tar\.gz|zip)$/, "")}`;
    };
    for (const pin of lock.python) {
      expect(
        files.filter((file) => distribution(file) === `${normalizedName(pin.name)}==${pin.version}`),
        pin.name,
      ).toHaveLength(1);
    }
    expect(await readdir(path.join(wheelhouse, "go-modules", "github.com", "zricethezav", "gitleaks", "v8", "@v"))).toContain(
      "v8.30.1.zip",
    );
  });

  it("an offline install puts every pinned tool in the managed environment and prints tool, version and where", async () => {
    expect(install.exitCode).toBe(0);
    const { root, bin, goBin } = managed();
    expect(root).toBe(path.join(cache, "jackpool", "tools", lock.hash));
    const lines = install.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^installed into ${root} \\(Python ${pythonVersion}, \\d+\\.\\ds\\)$`));
    expect(install.stdout).toMatch(installedRow("ruff", "0.17.6", `${bin}/ruff`));
    expect(install.stdout).toMatch(installedRow("gitleaks", "8.30.1", `${goBin}/gitleaks`));
    for (const tool of tools) expect(install.stdout).toMatch(new RegExp(`^${tool.name} +${tool.version.replaceAll(".", "\\.")} +/`, "m"));
    expect(lines.at(-1)).toMatch(
      /^with \d+ pinned dependencies: annotated-types 0\.8\.0, .*, ast_serialize 0\.13\.1, .*, typing_extensions 4\.16\.0, /,
    );
    expect(install.stderr).toContain("jackpool: building gitleaks v8.30.1: go install github.com/zricethezav/gitleaks/v8@v8.30.1");
    // Exactly the pins, nothing more: --no-deps over the full closure.
    const freeze = await execa(path.join(bin, "python"), ["-m", "pip", "freeze"]);
    expect(freeze.stdout.split("\n").map(normalizedName).sort()).toEqual(
      lock.python.map((pin) => normalizedName(`${pin.name}==${pin.version}`)).sort(),
    );
    expect((await execa(path.join(goBin, "gitleaks"), ["version"])).stdout).toBe("8.30.1");
  });

  it("a scan with no tools on PATH uses the managed ones and finds the sample project's known problems", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report, run } = await scanJson(root, ["--all", "--verbose"], { withTools: false, env: { XDG_CACHE_HOME: cache } });
    expect(run.exitCode).toBe(1);
    expect(report.summary.findings).toBe(18);
    expect(run.stderr).toContain(`tool ruff: ${managed().bin}/ruff 0.17.6`);
    expect(run.stderr).toContain(`tool gitleaks: ${managed().goBin}/gitleaks 8.30.1`);
    expect(report.tools.map((tool) => `${tool.tool} ${tool.version} ${tool.status}`)).toEqual([
      "refurb 2.3.1+mypy2.4.1 findings",
      "complexipy 8.3.0 findings",
      "skylos 5.1.2 findings",
      "semgrep 1.185.0 findings",
      "gitleaks 8.30.1 findings",
      "ruff 0.17.6 findings",
      "vulture 2.16 findings",
      "codespell 2.4.3 findings",
      "mypy 2.4.1 findings",
      "check-jsonschema 0.38.1 findings",
    ]);
    expect(brief(report, "ruff")).toEqual(["src/inventory/models.py:1:F401", "src/inventory/models.py:33:SIM102"]);
    expect(brief(report, "refurb")).toEqual(["src/inventory/legacy.py:3:FURB138", "src/inventory/models.py:12:FURB101"]);
  });

  it("installing again changes nothing and says it is already installed", async () => {
    const markerBefore = await stat(managed().marker);
    const again = await withCache(cache, REPO, ["tools", "install"]);
    // Nothing was reinstalled: the marker, written last by an install, is the one from before.
    expect((await stat(managed().marker)).mtimeMs).toBe(markerBefore.mtimeMs);
    expect(again).toMatchObject({ exitCode: 0, stderr: "" });
    expect(again.stdout.split("\n")[0]).toBe(`already installed: ${managed().root} (Python ${pythonVersion})`);
    expect(again.stdout).toMatch(installedRow("ruff", "0.17.6", `${managed().bin}/ruff`));
  });

  it("tools list says where each configured tool was found, its version, scope and placement", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const run = await withCache(cache, root, ["tools", "list", "--format", "json"]);
    expect(run.exitCode).toBe(0);
    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.tool)).toEqual([
      "refurb",
      "complexipy",
      "skylos",
      "semgrep",
      "gitleaks",
      "ruff",
      "vulture",
      "codespell",
      "mypy",
      "check-jsonschema",
    ]);
    expect(rows.find((row) => row.tool === "vulture")).toEqual({
      tool: "vulture",
      found: true,
      source: "managed",
      path: `${managed().bin}/vulture`,
      version: "2.16",
      scope: "whole-project",
      placement: "local",
      enabled: true,
      note: null,
    });
    const text = await withCache(cache, root, ["tools", "list"], [await fakeRuff("9.9.9")]);
    expect(text.stdout.split("\n")[0]).toMatch(/^tool +status +where +version +scope +runs +path$/);
    expect(text.stdout).toMatch(
      new RegExp(`^complexipy +found +managed environment +8\\.3\\.0 +per-file +pooled +${managed().bin}/complexipy$`, "m"),
    );
    // With the default config, every planned tool is listed, and a Go tool comes from the managed environment too.
    const defaults = await withCache(cache, await tempDir(), ["tools", "list"]);
    expect(defaults.stdout).toMatch(
      new RegExp(`^gitleaks +found +managed environment +8\\.30\\.1 +per-file +pooled +${managed().goBin}/gitleaks$`, "m"),
    );
  });

  it("a managed tool wins over PATH and the project's .venv; pool_scanning.tool_resolution changes the order", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const onPath = await fakeRuff("9.9.9");
    await fakeRuffInto(path.join(root, ".venv", "bin"), "8.8.8");
    const ruffVersion = async (): Promise<string | null> => {
      const { report } = await scanJson(root, ["--all", "--tools", "ruff", "--no-cache"], {
        withTools: false,
        pathDirs: [onPath],
        env: { XDG_CACHE_HOME: cache },
      });
      return report.tools[0]!.version;
    };
    expect(await ruffVersion()).toBe("0.17.6");
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  tool_resolution: [path, managed]\n" });
    expect(await ruffVersion()).toBe("9.9.9");
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  tool_resolution: [project, path]\n" });
    expect(await ruffVersion()).toBe("8.8.8");
    // Without the managed environment in the order, a tool only it has is not installed, and the note says where jackpool looked.
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  tool_resolution: [project, path]\n" });
    const { report } = await scanJson(root, ["--all", "--tools", "vulture"], { withTools: false, env: { XDG_CACHE_HOME: cache } });
    expect(report.tools[0]).toMatchObject({
      status: "not-installed",
      notes: ["vulture not found in .venv/bin, PATH; install it with: jackpool tools install (or pip install vulture==2.16)"],
    });
  });

  // One rebuild serves both problems (each costs an install of the whole lock): each is detected, as install detects it,
  // then install rebuilds the environment, which mends both.
  it("a broken environment is detected (failing pip check, missing python) and rebuilt", async () => {
    const { python, goBin } = managed();
    const problem = () => environmentProblem(managed(), lock, null, new AbortController().signal);
    await execa(python, ["-m", "pip", "uninstall", "--yes", "--quiet", "mypy_extensions"]);
    expect(await problem()).toMatch(/^pip check failed: \S+ \S+ requires mypy-extensions, which is not installed\.$/);
    await rm(python);
    expect(await problem()).toBe("its Python does not run (venv/bin/python)");
    const rebuilt = await withCache(cache, REPO, ["tools", "install", "--offline", "--wheelhouse", wheelhouse]);
    expect(rebuilt.exitCode).toBe(0);
    expect(rebuilt.stdout.split("\n").slice(0, 2)).toEqual([
      `rebuilding ${managed().root}: its Python does not run (venv/bin/python)`,
      expect.stringMatching(/^installed into /),
    ]);
    // The Go tools live outside the virtualenv: rebuilding it does not rebuild them.
    expect(rebuilt.stderr).not.toContain("building gitleaks");
    expect(rebuilt.stdout).toMatch(installedRow("gitleaks", "8.30.1", `${goBin}/gitleaks`));
    expect((await execa(path.join(managed().bin, "ruff"), ["--version"])).stdout).toBe("ruff 0.17.6");
    expect((await execa(python, ["-m", "pip", "check"])).stdout).toBe("No broken requirements found.");
    expect(await problem()).toBeNull();
  });

  it("offline, a wheelhouse missing a package is one line and exit 2, and leaves no environment behind", async () => {
    const partial = await tempDir("jackpool-partial-");
    await cp(wheelhouse, partial, {
      recursive: true,
      filter: (file) => !path.basename(file).startsWith("ruff-") && !file.includes("go-modules"),
    });
    const freshCache = await tempDir("jackpool-xdg-");
    const run = await withCache(freshCache, REPO, ["tools", "install", "--offline", "--wheelhouse", partial]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.split("\n").at(-1)).toBe(
      `jackpool: tools install: the wheelhouse ${partial} has no ruff==0.17.6 for this platform (Python ${pythonVersion}); fill it with: jackpool tools download --wheelhouse ${partial}`,
    );
    expect(await readdir(managedEnv(lock, { XDG_CACHE_HOME: freshCache }).root)).toEqual([]);
  });
});

/** Writes a fake ruff into `dir`, as a project's `.venv/bin` would hold one. */
async function fakeRuffInto(dir: string, version: string): Promise<void> {
  const fake = await fakeRuff(version);
  await cp(fake, dir, { recursive: true });
}

describe("jackpool tools: bad input", () => {
  it("says in one line what is wrong, exit 2", async () => {
    const cwd = await tempDir();
    const cache = await tempDir();
    const cases: [string[], string][] = [
      [
        ["tools", "install", "--offline"],
        "jackpool: tools install: --offline needs --wheelhouse DIR (a directory filled by jackpool tools download)",
      ],
      [
        ["tools", "install", "--offline", "--wheelhouse", "nowhere"],
        "jackpool: --wheelhouse nowhere: no such directory (fill one with: jackpool tools download --wheelhouse nowhere)",
      ],
      [["tools", "install", "--python", "/no/such/python3"], "jackpool: --python /no/such/python3: not found"],
      [["tools", "download"], "jackpool: tools download: --wheelhouse DIR is required (where to put the packages)"],
      [["tools", "list", "--offline"], "jackpool: tools list: --offline does not apply"],
      [["tools", "list", "--format", "xml"], 'jackpool: --format: expected text or json, got "xml"'],
      [["tools", "remove"], 'jackpool: tools: unknown action "remove" (expected install, download, list)'],
    ];
    for (const [args, message] of cases)
      expect(await withCache(cache, cwd, args), args.join(" ")).toMatchObject({ exitCode: 2, stderr: message });
  });

  it("with no python3 on PATH, install says so", async () => {
    const nodeOnly = await tempDir();
    await symlink(process.execPath, path.join(nodeOnly, "node"));
    const run = await execa("node", [path.join(REPO, "bin", "jackpool.js"), "tools", "install"], {
      reject: false,
      env: { PATH: nodeOnly, XDG_CACHE_HOME: await tempDir() },
      extendEnv: false,
    });
    expect(run).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: python3 not found on PATH; install Python 3.10 or newer, or pass --python",
    });
  });

  it("pool_scanning.tool_resolution takes a non-empty list of distinct places", () => {
    expect(parseConfig("pool_scanning:\n  tool_resolution: [path]\n", "c.yaml").tool_resolution).toEqual(["path"]);
    const expected = "expected a non-empty list of distinct values from managed, project, path";
    expect(() => parseConfig("pool_scanning:\n  tool_resolution: [managed, venv]\n", "c.yaml")).toThrow(
      `c.yaml:2: pool_scanning.tool_resolution[1]: ${expected}, got "venv"`,
    );
    expect(() => parseConfig("pool_scanning:\n  tool_resolution: [path, path]\n", "c.yaml")).toThrow(
      `c.yaml:2: pool_scanning.tool_resolution[1]: ${expected}, got "path"`,
    );
    expect(() => parseConfig("pool_scanning:\n  tool_resolution: []\n", "c.yaml")).toThrow(
      `c.yaml:2: pool_scanning.tool_resolution: ${expected}, got a list`,
    );
  });

  it("the lock compiled into jackpool is toolchain/requirements.txt as it is now", async () => {
    expect(REQUIREMENTS_TXT).toBe(await readFile(path.join(REPO, "toolchain", "requirements.txt"), "utf8"));
  });
});
