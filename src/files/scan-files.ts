import { defaultSelection } from "./last-pass.js";
import { selectFiles, type Selection } from "./select.js";
import { unscannedPaths } from "./unscanned-paths.js";

/** The files of one scan. */
export interface ScanFiles {
  /** What was selected, a plain scan's "changed" made "since the last pass". */
  selection: Selection;
  selected: string[];
  /** Every file of the project (whole-project tools and cache keys need them), listed at most once. */
  allFiles: () => Promise<string[]>;
  /** Why a path named on the command line gave no file: said on stderr, never a failure. */
  notes: string[];
}

/**
 * Selects a scan's files (config `exclude` applied, and `own`: jackpool's own files no tool should see, such as the
 * baseline, whose messages quote the findings), and says why any path named gave none.
 */
export async function scanFiles(
  root: string,
  requested: Selection,
  exclude: readonly string[],
  signal: AbortSignal,
  own: readonly string[] = [],
): Promise<ScanFiles> {
  const selection = await defaultSelection(root, requested, signal);
  const withoutOwn = (files: string[]): string[] => (own.length > 0 ? files.filter((file) => !own.includes(file)) : files);
  const selected = withoutOwn(await selectFiles(root, selection, exclude, signal));
  let everything: Promise<string[]> | undefined;
  const allFiles = (): Promise<string[]> =>
    (everything ??=
      selection.mode === "all" ? Promise.resolve(selected) : selectFiles(root, { mode: "all" }, exclude, signal).then(withoutOwn));
  // Pre-commit and editors pass whatever names they have: a name holding no file to check is said, not failed.
  const notes = selection.mode === "paths" ? await unscannedPaths(root, selection.cwd, selection.paths, selected, exclude, signal) : [];
  return { selection, selected, allFiles, notes };
}
