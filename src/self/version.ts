import packageJson from "../../package.json" with { type: "json" };

/** jackpool's own version, from package.json. */
export const JACKPOOL_VERSION: string = packageJson.version;
