import { createHash } from "node:crypto";

/** The name an existing pre-commit hook is moved to when jackpool's hook takes its place and chains it. */
export const CHAINED_HOOK_NAME = "pre-commit.jackpool-chained";

// The marker says the hook is jackpool's; the digest of every other line says whether anyone edited it since.
const MARKER = "# jackpool pre-commit hook, sha256:";

/** Who a pre-commit hook belongs to: jackpool as written, jackpool but edited since, or someone else. */
export type HookOwner = "jackpool" | "jackpool-edited" | "other";

function digest(lines: readonly string[]): string {
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** Quotes a word for sh: inside single quotes nothing is special but the quote itself. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** What the hook runs: `program` (absolute paths: jackpool itself) with `args`, in `projectDir` (relative to the top of the work tree; "" for the top). */
export interface HookCommand {
  program: readonly string[];
  args: readonly string[];
  projectDir: string;
}

/** The text of jackpool's pre-commit hook (sh), marked as jackpool's with a digest of its other lines. */
export function hookScript({ program, args, projectDir }: HookCommand): string {
  const quoted = program.map(shellQuote).join(" ");
  const lines = [
    "#!/bin/sh",
    "# Installed by `jackpool install`; `jackpool uninstall` removes it and puts back the hook it chains, if any.",
    "# It scans the staged bytes (a snapshot of the index) and never changes the work tree or the index.",
    "# Leave tools out for one commit with SKIP=ruff,... or JACKPOOL_SKIP=ruff,...; SKIP=jackpool skips the scan.",
    "",
    "# The pre-commit hook that was here before jackpool's runs first; its failure stops the commit.",
    `chained="$(dirname -- "$0")/${CHAINED_HOOK_NAME}"`,
    'if [ -x "$chained" ]; then',
    '  "$chained" "$@" || exit $?',
    "fi",
    "",
    ...(projectDir === ""
      ? []
      : [
          // git finds a relative GIT_INDEX_FILE from a subdirectory too: it resolves it from the top.
          "# jackpool's project is this subdirectory of the work tree.",
          `cd -- ${shellQuote(projectDir)} || exit 2`,
          "",
        ]),
    `for file in ${quoted}; do`,
    '  if [ ! -e "$file" ]; then',
    '    echo "jackpool pre-commit hook: $file is gone; run jackpool install again (or commit with --no-verify)" >&2',
    "    exit 2",
    "  fi",
    "done",
    `exec ${quoted} ${args.map(shellQuote).join(" ")}`,
    "",
  ];
  return [lines[0]!, `${MARKER}${digest(lines)}`, ...lines.slice(1)].join("\n");
}

/** Whether a pre-commit hook's text is jackpool's hook as installed, jackpool's hook edited since, or not jackpool's. */
export function hookOwner(text: string): HookOwner {
  const lines = text.split("\n");
  const index = lines.findIndex((line) => line.startsWith(MARKER));
  if (index === -1) return "other";
  const claimed = lines[index]!.slice(MARKER.length);
  lines.splice(index, 1);
  return digest(lines) === claimed ? "jackpool" : "jackpool-edited";
}
