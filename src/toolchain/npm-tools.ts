import { createRequire } from "node:module";
import path from "node:path";
import sea from "node:sea";

/** The tool jackpool pins as one of its own npm dependencies (exactly, in package.json), not in the Python lock. */
const NPM_TOOL_PACKAGE = "pyright";

/** Where jackpool's own npm-pinned tools are, and which executables of that directory are theirs. */
export interface NpmBin {
  dir: string;
  executables: readonly string[];
}

/**
 * The `node_modules/.bin` that holds the executable of jackpool's own pyright; null in the single binary, which
 * carries no node_modules, and when the dependency is not installed.
 */
export function jackpoolNpmBin(): NpmBin | null {
  if (sea.isSea()) return null;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${NPM_TOOL_PACKAGE}/package.json`);
    // npm links a package's executables into the `.bin` of the node_modules the package sits in.
    return { dir: path.join(path.dirname(path.dirname(manifest)), ".bin"), executables: [NPM_TOOL_PACKAGE] };
  } catch {
    return null;
  }
}
