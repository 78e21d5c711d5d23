import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { defaultPoolScanning } from "../src/config/schema.js";
import { jackpool, tempDir, writeFiles } from "./helpers.js";

function errorOf(text: string): string {
  try {
    parseConfig(text, ".crackerjack.yaml");
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a config error");
}

describe("config loading", () => {
  it("defaults to the plan's values when a key or the whole section is absent", () => {
    expect(parseConfig("", "x")).toEqual(defaultPoolScanning());
    expect(parseConfig("other_section:\n  anything: [1, 2]\n", "x")).toEqual(defaultPoolScanning());
    const config = parseConfig("pool_scanning:\n  pool:\n    max_workers: 4\n", "x");
    expect(config.pool).toEqual({
      name: "crackerjack-quality-scanners",
      pool_type: "mahavishnu",
      min_workers: 2,
      max_workers: 4,
      worker_type: "terminal-qwen",
      exchange: "files",
    });
    expect(config.mcp_server_url).toBe("http://localhost:8680");
    // The plan's lists, in the registry's order (each tool's spec says where it is listed by default).
    expect(config.pooled_tools).toEqual(["complexipy", "gitleaks", "refurb", "semgrep", "skylos"]);
    expect(config.local_tools).toEqual(["check-jsonschema", "codespell", "ruff", "vulture"]);
    expect(config.autoscaling).toEqual({ enabled: true, scale_up_threshold: 10, scale_down_threshold: 300, max_workers: 16 });
    expect(config.memory).toEqual({ enabled: true, cache_duration: 86400, store: "file" });
  });

  it("reads pool.exchange: redis along with a redis:// memory store", () => {
    const config = parseConfig("pool_scanning:\n  pool:\n    exchange: redis\n  memory:\n    store: redis://10.0.0.5:6379/2\n", "x");
    expect(config.pool.exchange).toBe("redis");
    expect(config.memory.store).toBe("redis://10.0.0.5:6379/2");
  });

  it("reads per-tool overrides", () => {
    const config = parseConfig(
      "pool_scanning:\n  tools:\n    ruff:\n      args: [--select, E]\n      timeout: 30\n      exclude: ['tests/*']\n",
      "x",
    );
    expect(config.tools.ruff).toEqual({ args: ["--select", "E"], timeout: 30, exclude: ["tests/*"] });
  });

  it.each([
    [
      "pool_scanning:\n  enabled: true\n  pool: a: b\n",
      /^\.crackerjack\.yaml:3: invalid YAML: Nested mappings are not allowed in compact mappings$/,
    ],
    [
      "pool_scanning:\n  enabled: true\n  colour: blue\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.colour: unknown key \(known keys: enabled, mcp_server_url, /,
    ],
    [
      "pool_scanning:\n  pool:\n    min_workers: two\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.pool\.min_workers: expected an integer from 1 to 1024, got "two"$/,
    ],
    [
      "pool_scanning:\n  pool:\n    max_workers: 0\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.pool\.max_workers: expected an integer from 1 to 1024, got "0"$/,
    ],
    [
      "pool_scanning:\n  enabled: yes please\n",
      /^\.crackerjack\.yaml:2: pool_scanning\.enabled: expected true or false, got "yes please"$/,
    ],
    [
      "pool_scanning:\n  pooled_tools: [refurb, pylint]\n",
      /^\.crackerjack\.yaml:2: pool_scanning\.pooled_tools\[1\]: unknown tool "pylint" \(known tools: bandit, check-jsonschema, /,
    ],
    [
      "pool_scanning:\n  local_tools: ruff\n",
      /^\.crackerjack\.yaml:2: pool_scanning\.local_tools: expected a list of tool names, got "ruff"$/,
    ],
    [
      "pool_scanning:\n  pool:\n    pool_type: kubernetes\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.pool\.pool_type: expected one of mahavishnu, session-buddy, runpod, got "kubernetes"$/,
    ],
    [
      "pool_scanning:\n  mcp_server_url: localhost:8680\n",
      /^\.crackerjack\.yaml:2: pool_scanning\.mcp_server_url: expected an http:\/\/ or https:\/\/ URL, got "localhost:8680"$/,
    ],
    ["pool_scanning:\n  tools:\n    pylint:\n      enabled: true\n", /^\.crackerjack\.yaml:3: pool_scanning\.tools\.pylint: unknown tool/],
    [
      "pool_scanning:\n  tools:\n    ruff:\n      args: [--fix]\n",
      /^\.crackerjack\.yaml:4: pool_scanning\.tools\.ruff\.args\[0\]: "--fix" is not allowed/,
    ],
    [
      "pool_scanning:\n  tools:\n    codespell:\n      args: ['--write-changes']\n",
      /^\.crackerjack\.yaml:4: pool_scanning\.tools\.codespell\.args\[0\]: "--write-changes" is not allowed/,
    ],
    [
      "pool_scanning:\n  pool:\n    min_workers: 9\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.pool\.min_workers: 9 is more than pool\.max_workers \(8\)$/,
    ],
    [
      "pool_scanning:\n  memory:\n    store: redis://localhost:6379/0/0\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.memory\.store: expected file or a redis:\/\/host:port\/db URL, got "redis:\/\/localhost:6379\/0\/0"$/,
    ],
    [
      "pool_scanning:\n  pool:\n    exchange: http\n",
      /^\.crackerjack\.yaml:3: pool_scanning\.pool\.exchange: expected one of files, redis, got "http"$/,
    ],
    [
      "pool_scanning:\n  memory:\n    store: file\n  pool:\n    exchange: redis\n",
      /^\.crackerjack\.yaml:5: pool_scanning\.pool\.exchange: redis needs memory\.store to be a redis:\/\/ URL \(it is "file"\)$/,
    ],
    ["pool_scanning:\n  memory: [1]\n", /^\.crackerjack\.yaml:2: pool_scanning\.memory: expected a mapping, got a list$/],
    ["- just\n- a list\n", /^\.crackerjack\.yaml:1: expected a mapping of sections at the top level$/],
  ])("rejects %j with a one-line error naming file, line and key", (text, expected) => {
    const message = errorOf(text);
    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });

  it("the CLI prints the error alone on one line and exits 2", async () => {
    const root = await tempDir();
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  autoscaling:\n    scale_up_threshold: -3\n" });
    const run = await jackpool(root, ["scan", "--all"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      'jackpool: .crackerjack.yaml:3: pool_scanning.autoscaling.scale_up_threshold: expected an integer from 1 to 1000000, got "-3"',
    );
    expect(run.stdout).toBe("");
  });

  it("`jackpool config` prints the resolved configuration", async () => {
    const root = await tempDir();
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  pool:\n    max_workers: 3\n" });
    const run = await jackpool(root, ["config"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`# resolved from ${root}/.crackerjack.yaml`);
    expect(run.stdout).toContain("    max_workers: 3\n");
    expect(run.stdout).toContain("  mcp_server_url: http://localhost:8680\n");
    const defaults = await jackpool(await tempDir(), ["config"]);
    expect(defaults.stdout).toContain("# defaults: no .crackerjack.yaml found");
  });

  it("a --config file that does not exist is a one-line error", async () => {
    const root = await tempDir();
    const run = await jackpool(root, ["config", "--config", "missing.yaml"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe("jackpool: missing.yaml: cannot read config file (ENOENT)");
  });
});

describe("large configs", () => {
  /** A section of `count` keys, 16 bytes or so each. */
  const section = (name: string, count: number): string =>
    `${name}:\n${Array.from({ length: count }, (_, index) => `  key_${index}: value ${index}\n`).join("")}`;

  it("40 000 keys in a section of crackerjack's parse in linear time; a repeated key is still an error with its line", () => {
    const text = section("crackerjack_other", 40_000);
    expect(text.length).toBeGreaterThan(650_000);
    expect(parseConfig(text, "x")).toEqual(defaultPoolScanning());
    expect(errorOf(`${text}  key_7: again\n`)).toBe(".crackerjack.yaml:40002: invalid YAML: Map keys must be unique");
    expect(errorOf(`pool_scanning:\n  enabled: true\n  enabled: false\n`)).toBe(
      ".crackerjack.yaml:3: invalid YAML: Map keys must be unique",
    );
    // Linear, whatever the machine's load: four times the keys take about four times as long (a quadratic check of
    // repeated keys, which took 16 s for 40 000, takes sixteen). Each size is timed three times, interleaved, and its
    // quickest run counts, so a busy moment does not decide.
    const time = (keys: number, runs: number[]): void => {
      const started = performance.now();
      parseConfig(section("crackerjack_other", keys), "x");
      runs.push(performance.now() - started);
    };
    const small: number[] = [];
    const large: number[] = [];
    for (let round = 0; round < 3; round++) {
      time(5_000, small);
      time(20_000, large);
    }
    expect(Math.min(...large) / Math.min(...small)).toBeLessThan(8);
  }, 120_000);

  it("40 000 keys in pool_scanning stop at the first unknown one", () => {
    expect(errorOf(section("pool_scanning", 40_000))).toMatch(/^\.crackerjack\.yaml:2: pool_scanning\.key_0: unknown key /);
  }, 120_000);

  it("a file over 256 KiB (40 000 keys) is refused in one line with its size and the limit, exit 2", async () => {
    const root = await tempDir();
    const text = section("crackerjack_other", 40_000);
    await writeFiles(root, { ".crackerjack.yaml": text });
    const run = await jackpool(root, ["scan", "--all"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`jackpool: .crackerjack.yaml: ${Math.ceil(text.length / 1024)} KiB; a config file may have at most 256 KiB`);
    const endless = await jackpool(root, ["config", "--config", "/dev/zero"]);
    expect(endless.stderr).toMatch(
      /^jackpool: [./]*dev\/zero: more than 256 KiB read \(not a regular file\); a config file may have at most 256 KiB$/,
    );
  }, 60_000);
});

describe("a config that is there but cannot be read", () => {
  it("a dangling .crackerjack.yaml link is an error, not a reason to use a parent directory's config", async () => {
    const parent = await tempDir();
    await writeFiles(parent, { ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n", "project/a.py": "x = 1\n" });
    const project = path.join(parent, "project");
    await symlink("missing.yaml", path.join(project, ".crackerjack.yaml"));
    for (const command of [["scan", "--all"], ["config"]]) {
      const run = await jackpool(project, command);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toBe(
        "jackpool: .crackerjack.yaml: cannot read config file (a symbolic link to missing.yaml, which does not exist)",
      );
    }
    await mkdir(path.join(project, "sub"));
    const below = await jackpool(path.join(project, "sub"), ["config"]);
    expect(below.stderr).toBe(
      "jackpool: ../.crackerjack.yaml: cannot read config file (a symbolic link to missing.yaml, which does not exist)",
    );
  });

  it("a directory named .crackerjack.yaml is an error too", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, ".crackerjack.yaml"));
    const run = await jackpool(root, ["config"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe("jackpool: .crackerjack.yaml: cannot read config file (EISDIR)");
  });
});

describe("values quoted in errors", () => {
  it("a 10 MB value of the wrong type, or a 10 MB unknown key, is quoted in part, on one line", () => {
    const huge = "a".repeat(10 * 1024 * 1024);
    const wrongType = errorOf(`pool_scanning:\n  enabled: ${huge}\n`);
    expect(wrongType).toBe(
      `.crackerjack.yaml:2: pool_scanning.enabled: expected true or false, got "${"a".repeat(79)}… (${huge.length + 2 - 80} more characters)`,
    );
    const unknownKey = errorOf(`pool_scanning:\n  ? ${huge}\n  : 1\n`);
    expect(unknownKey).toMatch(/^\.crackerjack\.yaml:2: pool_scanning\.a{80}… \(10485680 more characters\): unknown key \(known keys: /);
    expect(unknownKey.length).toBeLessThan(400);
    const forbidden = errorOf(`pool_scanning:\n  tools:\n    ruff:\n      args: ["--fix=${huge}"]\n`);
    expect(forbidden).toMatch(
      /^\.crackerjack\.yaml:4: pool_scanning\.tools\.ruff\.args\[0\]: "--fix=a{73}… \(\d+ more characters\) is not allowed: /,
    );
  });
});
