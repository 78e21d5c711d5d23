import { npmPin } from "../self/version.js";
import type { Tool } from "../tools/tool.js";
import type { ToolLock } from "./lock.js";
import { normalizedName } from "./lock.js";

/**
 * The command that installs the version of `tool` jackpool pins, for the "not installed" message: the version is the
 * lock's (pip, go) or jackpool's package.json (npm), never a copy.
 */
export function installHint(tool: Tool, lock: ToolLock): string {
  const { package: pkg, name } = tool.spec;
  if (pkg === null) return `install ${tool.spec.executable}, the program tools.${name}.command names`;
  switch (pkg.via) {
    case "pip": {
      const pin = lock.python.find((candidate) => normalizedName(candidate.name) === normalizedName(pkg.name));
      return `pip install ${pkg.name}${pin ? `==${pin.version}` : ""}`;
    }
    case "go": {
      const go = lock.go.find((candidate) => candidate.name === pkg.name);
      return go ? `go install ${go.module}@${go.version}` : `go install ${pkg.name}`;
    }
    case "npm": {
      const version = npmPin(pkg.name);
      // An npm package, so the managed environment does not hold it: jackpool's own npm install brings it.
      return `npm install -g ${pkg.name}${version ? `@${version}` : ""}; an npm package, so \`jackpool tools install\` does not install it: jackpool's own npm install brings it, the single binary takes it from PATH`;
    }
  }
}
