import { mkdir, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { gitTopLevel } from "../files/git.js";
import { UserError } from "../core/errors.js";
import { FORMAT_NAMES, FORMATTERS, isFormatName, type FormatName } from "./formats/index.js";
import type { Report } from "./report.js";
import { colourEnabled, createStyle } from "./style.js";

/** One rendering of the report and where it goes: a file (relative to the working directory) or stdout (null). */
export interface ReportOutput {
  format: FormatName;
  file: string | null;
}

function parseOne(value: string): ReportOutput {
  const colon = value.indexOf(":");
  const name = colon === -1 ? value : value.slice(0, colon);
  if (!isFormatName(name)) throw new UserError(`--format: unknown format "${name}" (valid formats: ${FORMAT_NAMES.join(", ")})`);
  if (colon === -1) return { format: name, file: null };
  const file = value.slice(colon + 1);
  if (file === "") throw new UserError(`--format: "${value}" names no file after the colon (FORMAT:FILE)`);
  return { format: name, file };
}

/**
 * Reads `--format FORMAT[:FILE]` (repeatable; cac passes a string, or an array when repeated) and `--output FILE`,
 * which names the file of the one format given without its own. At most one report may go to stdout, and no
 * two to the same file.
 */
export function parseOutputs(formats: string | readonly string[] | undefined, output: string | undefined, cwd: string): ReportOutput[] {
  const values = formats === undefined ? ["text"] : typeof formats === "string" ? [formats] : formats;
  const outputs = values.map((value) => parseOne(String(value)));
  const unnamed = outputs.filter((item) => item.file === null);
  if (output !== undefined) {
    if (unnamed.length === 0) throw new UserError(`--output: every --format already names its file; drop --output`);
    if (unnamed.length === 1) unnamed[0]!.file = output;
  }
  if (unnamed.length > 1) {
    const where = output === undefined ? "stdout" : `--output ${output}`;
    const names = unnamed.map((item) => item.format).join(" and ");
    throw new UserError(`--format: only one report can go to ${where}, but ${names} name no file; give all but one a file (FORMAT:FILE)`);
  }
  const byFile = new Map<string, FormatName>();
  for (const item of outputs) {
    if (item.file === null) continue;
    const resolved = path.resolve(cwd, item.file);
    const earlier = byFile.get(resolved);
    if (earlier !== undefined) throw new UserError(`--format: ${earlier} and ${item.format} would both write ${item.file}`);
    byFile.set(resolved, item.format);
  }
  return outputs;
}

/** `root` relative to the top of its git repository, "/"-separated; "" at the top or outside git. */
async function projectInRepository(root: string): Promise<string> {
  const top = await gitTopLevel(root);
  if (top === null) return "";
  // git answers with symbolic links resolved.
  return path
    .relative(top, await realpath(root))
    .split(path.sep)
    .join("/");
}

/** Renders the report once per output and writes each: files relative to `cwd` (parent directories created), or stdout. */
export async function writeOutputs(
  report: Report,
  outputs: readonly ReportOutput[],
  cwd: string,
  root: string,
  { showBaselined = false }: { showBaselined?: boolean } = {},
): Promise<void> {
  const rootInRepository = await projectInRepository(root);
  for (const { format, file } of outputs) {
    // Colour and hyperlinks only for a terminal: never in a file.
    const style = createStyle(file === null && colourEnabled(process.stdout));
    const text = FORMATTERS[format](report, { root, rootInRepository, style, showBaselined });
    if (file === null) {
      process.stdout.write(text);
      continue;
    }
    const target = path.resolve(cwd, file);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
    } catch (error) {
      throw new UserError(`--format ${format}: cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
