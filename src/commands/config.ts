import { stringify } from "yaml";
import { loadConfig } from "../config/load.js";
import { redactCredentials } from "../text/redact.js";

/** `jackpool config`: the resolved `pool_scanning` section, as YAML, with where it came from; URLs without their credentials. */
export async function printConfig(cwd: string, configFile?: string): Promise<number> {
  const { file, pool_scanning } = await loadConfig(cwd, configFile);
  const origin = file === null ? "defaults: no .crackerjack.yaml found" : `resolved from ${file}`;
  process.stdout.write(redactCredentials(`# ${origin}\n${stringify({ pool_scanning })}`));
  return 0;
}
