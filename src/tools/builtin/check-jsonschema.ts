import { existsSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../core/errors.js";
import { listOf, mapping, stringList, text } from "../settings-schema.js";
import { defineTool, type ParsedRun, type RunSettings } from "../tool.js";
import type { Finding } from "../../core/finding.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";

interface ValidationError {
  filename: string;
  /** JSON path of the failing value, e.g. `$.port`. */
  path?: string;
  message: string;
}

interface CheckReport {
  status?: string;
  errors?: ValidationError[];
  parse_errors?: { filename: string; message: string }[];
}

/** `tools.check-jsonschema.schemas`: which schema validates which files (one run each). */
const SCHEMA_SETTINGS = {
  schemas: listOf(
    mapping({
      schema: text(/\S/, "a project-relative path of a JSON Schema file"),
      builtin: text(/^[\w.-]+$/, "a builtin schema name such as vendor.github-workflows"),
      files: stringList(),
    }).partial(),
    "a list of mappings",
  ),
};

/**
 * check-jsonschema: validates JSON, YAML and TOML files against JSON Schemas; per-file. Which schema checks
 * which files comes from `tools.check-jsonschema.schemas`: one run per entry, with the schema's content (or the
 * builtin's name plus the tool version) in the cache key. Its JSON output has no line numbers, so findings are
 * on line 1, with the JSON path of the failing value in the message.
 * Exit 0 valid, 1 invalid (with a JSON report), 1 without a report = it failed (e.g. unreadable schema).
 */
export default defineTool(
  {
    name: "check-jsonschema",
    executable: "check-jsonschema",
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    configFiles: [],
    include: ["*"],
    defaultTimeoutSec: 120,
    cost: { startupMs: 400, perFileMs: 2 },
    homepage: "https://github.com/python-jsonschema/check-jsonschema",
    package: { via: "pip", name: "check-jsonschema" },
    class: "fast",
    placement: "local",
    settings: SCHEMA_SETTINGS,
  },
  {
    forbiddenArgs: ["--schemafile", "--builtin-schema", "-o", "--output-format", "--check-metaschema", "--verbose", "-v", "--quiet", "-q"],
    optionParser: "exact", // click
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    settingsProblem(override) {
      for (const [index, binding] of (override.schemas ?? []).entries()) {
        const keys = ["schemas", String(index)];
        if ((binding.schema === undefined) === (binding.builtin === undefined)) {
          return { keys, problem: "needs exactly one of schema (a file) or builtin (a schema check-jsonschema ships)" };
        }
        if (binding.schema !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(binding.schema)) {
          return {
            keys: [...keys, "schema"],
            problem: `"${binding.schema}" is a URL: schemas must be local files (jackpool does not download)`,
          };
        }
        if (binding.files === undefined || binding.files.length === 0) {
          return { keys, problem: "needs files: the patterns of the files this schema validates" };
        }
      }
      return undefined;
    },
    runs(override, root): Promise<RunSettings[]> {
      return Promise.resolve(
        (override.schemas ?? []).map((binding): RunSettings => {
          if (binding.builtin !== undefined) return { args: ["--builtin-schema", binding.builtin], inputs: {}, files: binding.files };
          const schema = binding.schema ?? "";
          const absolute = path.resolve(root, schema);
          if (!existsSync(absolute))
            throw new UserError(`pool_scanning.tools.check-jsonschema.schemas: schema "${schema}" not found in ${root}`);
          const relative = toProjectPath(root, absolute);
          return { args: ["--schemafile", asOperand(relative)], inputs: { [relative]: absolute }, files: binding.files };
        }),
      );
    },
    buildArgs: (files, { userArgs }) => ["--output-format", "json", ...userArgs, ...files.map(asOperand)],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      let report: CheckReport;
      try {
        report = JSON.parse(stdout) as CheckReport;
      } catch {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      if (exitCode !== 0 && exitCode !== 1) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      const finding = (file: string, rule: string, message: string): Finding => ({
        tool: "check-jsonschema",
        rule,
        severity: "error",
        path: toProjectPath(cwd, file),
        line: 1,
        column: null,
        message,
      });
      const findings = [
        ...(report.errors ?? []).map((error) => finding(error.filename, "schema-violation", `${error.path ?? "$"}: ${error.message}`)),
        ...(report.parse_errors ?? []).map((error) => finding(error.filename, "parse-error", error.message)),
      ];
      if (exitCode === 1 && findings.length === 0) {
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr || stdout)}` };
      }
      return { kind: "findings", findings };
    },
  },
);
