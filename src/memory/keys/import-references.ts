import { readProjectState, writeProjectState } from "../../state/project-state.js";
import { bytesHash, type ContentHasher } from "./hasher.js";
import { sha256 } from "../../files/content.js";
import { referencedModules } from "./python-imports.js";

const STATE = "imports.json";
// Bumped when the state file's shape or what referencedModules finds changes.
const STATE_FORMAT = 1;

/** Path → [content hash, the modules that content's imports name]. */
type SavedReferences = Record<string, readonly [string, readonly string[]]>;

function isSaved(entry: unknown): entry is SavedReferences[string] {
  return (
    Array.isArray(entry) &&
    typeof entry[0] === "string" &&
    Array.isArray(entry[1]) &&
    entry[1].every((module) => typeof module === "string")
  );
}

/**
 * The modules each Python file's import statements name, kept in `.crackerjack/imports.json` by path and content
 * hash (what they resolve to depends on both): a scan parses only the files whose content changed. Parsing every
 * file was a tenth of a warm scan of a 574-file package.
 */
export class ImportReferences {
  private readonly current: Record<string, SavedReferences[string]> = {};
  private parsed = false;

  private constructor(
    private readonly root: string,
    private readonly saved: Readonly<Record<string, unknown>>,
  ) {}

  /** What the project's state file holds (nothing when it is missing, unreadable or of another format). */
  static async open(root: string): Promise<ImportReferences> {
    const state = (await readProjectState(root, STATE)) as { format?: unknown; files?: unknown } | undefined;
    const files = state?.format === STATE_FORMAT && typeof state.files === "object" && state.files !== null ? state.files : {};
    return new ImportReferences(root, files as Record<string, unknown>);
  }

  /** The modules `file`'s imports name, for the content the scan sees; an unreadable file names none. */
  async of(file: string, hasher: ContentHasher): Promise<readonly string[]> {
    const saved = this.saved[file];
    // Hashed only against what was saved: a file seen for the first time is read once, to parse and hash.
    const hash = await hasher.hash(file);
    if (isSaved(saved) && hash !== null && saved[0] === bytesHash(hash)) {
      this.current[file] = saved;
      return saved[1];
    }
    const bytes = await hasher.read(file);
    if (bytes === null) return [];
    const modules = referencedModules(file, new TextDecoder().decode(bytes));
    // Under the hash of the bytes parsed: the file may have changed since the scan hashed it.
    this.current[file] = [sha256(bytes), modules];
    this.parsed = true;
    return modules;
  }

  /** Keeps what this scan parsed or reused, for its files only; written only when that changed. */
  async save(): Promise<void> {
    if (!this.parsed && Object.keys(this.current).length === Object.keys(this.saved).length) return;
    await writeProjectState(this.root, STATE, { format: STATE_FORMAT, files: this.current });
  }
}
