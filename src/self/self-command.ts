import path from "node:path";
import { isSea } from "node:sea";

/**
 * The command line that runs this jackpool again, with absolute paths, for the hook to call. A single executable
 * application (Node SEA) is its own program; the npm build is `node` plus the script it was started with
 * (`bin/jackpool.js`, or the link npm put on PATH: a link keeps working when npm updates the package).
 */
export function selfCommand(): string[] {
  if (isSea()) return [process.execPath];
  const script = process.argv[1];
  if (script === undefined) throw new Error("jackpool was started without a script path");
  return [process.execPath, path.resolve(script)];
}
