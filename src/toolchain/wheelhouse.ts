import { stat } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../core/errors.js";

/** The `--wheelhouse` directory, resolved against `cwd`; it must exist. */
export async function existingWheelhouse(dir: string, cwd: string): Promise<string> {
  const resolved = path.resolve(cwd, dir);
  const found = await stat(resolved).catch(() => null);
  if (!found?.isDirectory())
    throw new UserError(`--wheelhouse ${dir}: no such directory (fill one with: jackpool tools download --wheelhouse ${dir})`);
  return resolved;
}
