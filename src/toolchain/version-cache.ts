import { realpath, stat } from "node:fs/promises";
import { readProjectState, writeProjectState } from "../state/project-state.js";
import { sitePackagesOf, venvOf } from "../tools/python/environment.js";

const VERSIONS = "tool-versions.json";

interface Entry {
  stamp: string;
  version: string;
}

/**
 * What identifies an installed tool without running it: the executable's path, size and mtime, and for a
 * Python tool the mtime of its environment's site-packages, which pip touches on every install or upgrade
 * (so upgrading mypy under refurb changes refurb's stamp too).
 */
async function installStamp(executable: string): Promise<string | null> {
  try {
    const real = await realpath(executable);
    const { size, mtimeMs } = await stat(real);
    const parts = [real, size, mtimeMs];
    const venv = await venvOf(real);
    if (venv) {
      for (const sitePackages of await sitePackagesOf(venv)) parts.push((await stat(sitePackages)).mtimeMs);
    }
    return JSON.stringify(parts);
  } catch {
    return null;
  }
}

/** Tool versions remembered per project in `.crackerjack/tool-versions.json`, so warm scans skip `--version`. */
export class VersionCache {
  private changed = false;

  private constructor(
    private readonly root: string,
    private readonly entries: Record<string, Entry>,
  ) {}

  /** Loads the cache of `root`; an unreadable file is an empty cache. */
  static async load(root: string): Promise<VersionCache> {
    const entries = await readProjectState(root, VERSIONS);
    return new VersionCache(root, typeof entries === "object" && entries !== null ? (entries as Record<string, Entry>) : {});
  }

  /** The remembered version when the executable is unchanged, else `probe()`'s answer (remembered if a version). */
  async version<T extends { version: string } | { error: string }>(
    executable: string,
    probe: () => Promise<T>,
  ): Promise<T | { version: string }> {
    const stamp = await installStamp(executable);
    const known = this.entries[executable];
    if (stamp !== null && known?.stamp === stamp) return { version: known.version };
    const answer = await probe();
    if (stamp !== null && "version" in answer) {
      this.entries[executable] = { stamp, version: answer.version };
      this.changed = true;
    }
    return answer;
  }

  /** Writes new entries; failure to write only costs a probe next time. */
  async save(): Promise<void> {
    if (this.changed) await writeProjectState(this.root, VERSIONS, this.entries);
  }
}
