import { shippedFile } from "../self/shipped-files.js";

/** How the shipped rules are named in cache keys: by content, never by where jackpool is installed. */
export const SHIPPED_RULES_LABEL = "jackpool:semgrep-rules/python-security.yml";

/** The rule set jackpool ships for common Python security mistakes; null if missing. */
export function shippedRulesFile(): string | null {
  return shippedFile("assets/semgrep-rules/python-security.yml");
}

/**
 * Why a semgrep `--config` value would need the network, or undefined for a local path: `auto`, registry
 * packs (`p/python`, `r/…`, `s/…`) and URLs download rules and report to semgrep's servers.
 */
export function networkConfigProblem(value: string): string | undefined {
  if (value === "auto") return `"auto" fetches rules from the semgrep registry`;
  if (/^[prs]\//.test(value)) return `"${value}" is a semgrep registry pack`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `"${value}" is a URL`;
  return undefined;
}
