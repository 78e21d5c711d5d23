import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { git } from "./helpers.js";

/** One scripted change to a project: what it is, and how to make it. */
export interface Edit {
  name: string;
  apply(root: string): Promise<void>;
}

/** The Python files of a project that git tracks, sorted. */
async function pythonFiles(root: string): Promise<string[]> {
  return (await git(root, "ls-files", "*.py")).split("\n").filter(Boolean).sort();
}

/** The first tracked Python file (in a stable order) whose text matches `pattern`, with its text and the match. */
async function findPython(root: string, pattern: RegExp, skip = 0): Promise<{ file: string; text: string; match: RegExpExecArray }> {
  let seen = 0;
  for (const file of await pythonFiles(root)) {
    const text = await readFile(path.join(root, file), "utf8").catch(() => "");
    const match = pattern.exec(text);
    if (match && seen++ >= skip) return { file, text, match };
  }
  throw new Error(`no Python file matches ${pattern}`);
}

// A plain one-line `def` (no nested parentheses, no **kwargs, so a parameter can be added) whose body starts on the
// next line, with that line's indentation.
const FUNCTION = /^( *)def (\w+)\(((?:(?!\*\*)[^()\n])*)\)[^:\n]*:\n( +)\S/m;

/**
 * The edits of the memory property test, general enough for any real Python project with functions and a git history:
 * each picks its files from what the project has, never from names this test knows.
 */
export function editScript(): Edit[] {
  let broken: { file: string; text: string } | undefined;
  return [
    {
      name: "edit a function body",
      async apply(root) {
        const { file, text, match } = await findPython(root, FUNCTION);
        const bodyStart = match.index + match[0].length - 1;
        const indent = match[4] ?? "    ";
        await writeFile(
          path.join(root, file),
          `${text.slice(0, bodyStart)}_jackpool_probe = len("teh")\n${indent}${text.slice(bodyStart)}`,
        );
      },
    },
    {
      name: "change a signature",
      async apply(root) {
        const { file, text, match } = await findPython(root, FUNCTION, 1);
        const params = match[3] ?? "";
        const changed = match[0].replace(`(${params})`, `(${params}${params.trim() === "" ? "" : ", "}_jackpool_extra: int = 0)`);
        await writeFile(path.join(root, file), text.slice(0, match.index) + changed + text.slice(match.index + match[0].length));
      },
    },
    {
      name: "break a file",
      async apply(root) {
        const { file, text } = await findPython(root, FUNCTION, 2);
        broken = { file, text };
        await writeFile(path.join(root, file), `${text}\nx = 10L\n`);
      },
    },
    {
      name: "fix it",
      async apply(root) {
        if (broken) await writeFile(path.join(root, broken.file), broken.text);
      },
    },
    { name: "commit", apply: (root) => git(root, "commit", "-qam", "edits").then(() => undefined) },
    {
      name: "rename a module",
      async apply(root) {
        const { file } = await findPython(root, FUNCTION, 3);
        await git(root, "mv", file, file.replace(/\.py$/, "_renamed.py"));
      },
    },
    {
      name: "delete a module",
      async apply(root) {
        const { file } = await findPython(root, FUNCTION, 4);
        await rm(path.join(root, file));
      },
    },
    {
      name: "revert the work tree",
      async apply(root) {
        await git(root, "reset", "-q", "--hard");
      },
    },
    {
      name: "switch to a branch that changes a module",
      async apply(root) {
        await git(root, "checkout", "-q", "-b", "jackpool-other");
        const { file, text } = await findPython(root, FUNCTION, 5);
        await writeFile(path.join(root, file), `import os\n${text}`);
        await git(root, "commit", "-qam", "other branch");
      },
    },
    {
      name: "switch back",
      async apply(root) {
        await git(root, "checkout", "-q", "-");
      },
    },
  ];
}
