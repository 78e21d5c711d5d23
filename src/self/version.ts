import packageJson from "../../package.json" with { type: "json" };

/** jackpool's own version, from package.json. */
export const JACKPOOL_VERSION: string = packageJson.version;

/** The exact version jackpool's package.json pins an npm dependency at (pyright), or undefined. */
export function npmPin(name: string): string | undefined {
  const dependencies: Readonly<Record<string, string>> = packageJson.dependencies;
  return dependencies[name];
}
