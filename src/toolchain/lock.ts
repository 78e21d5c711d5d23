import { createHash } from "node:crypto";
import { GO_TOOLS, type GoTool } from "./go-tools.js";
import { REQUIREMENTS_TXT } from "./lock-text.generated.js";

/** One `name==version` line of the lock. */
export interface Pin {
  name: string;
  version: string;
}

/** What the managed environment holds: the Python pins (the full closure, installed with --no-deps) and the Go tools. */
export interface ToolLock {
  python: readonly Pin[];
  go: readonly GoTool[];
  /** Short hash of the pins, naming the environment's directory: a changed lock gets a new environment. */
  hash: string;
}

/** PEP 503 name normalisation, so `Typing_Extensions` and `typing-extensions` are one package. */
export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The pins of a requirements file; anything but `name==version`, comments and blank lines is a bug in the lock. */
export function parseRequirements(text: string): Pin[] {
  return text.split("\n").flatMap((raw, index) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return [];
    const pin = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$/.exec(line);
    if (!pin) throw new Error(`toolchain/requirements.txt:${index + 1}: expected name==version, got "${line}"`);
    return [{ name: pin[1]!, version: pin[2]! }];
  });
}

/** A lock from a requirements text and a list of Go tools. */
export function toolLock(requirements: string, go: readonly GoTool[]): ToolLock {
  const python = parseRequirements(requirements);
  const lines = [
    ...python.map((pin) => `${normalizedName(pin.name)}==${pin.version}`).sort(),
    ...go.map((tool) => `go:${tool.name}=${tool.module}@${tool.version} ${tool.versionVariable ?? ""}`).sort(),
  ];
  return { python, go, hash: createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 12) };
}

let builtIn: ToolLock | undefined;

/** The lock jackpool was built with: toolchain/requirements.txt (embedded at build time) and go-tools.ts. */
export function jackpoolLock(): ToolLock {
  return (builtIn ??= toolLock(REQUIREMENTS_TXT, GO_TOOLS));
}

/** `name==version` requirement strings, for pip's command line. */
export function requirementArgs(pins: readonly Pin[]): string[] {
  return pins.map((pin) => `${pin.name}==${pin.version}`);
}
