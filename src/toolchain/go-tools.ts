/** A tool jackpool builds with `go install <module>@<version>` from the Go module proxy. */
export interface GoTool {
  /** The executable `go install` produces, which is also the tool's name. */
  name: string;
  module: string;
  /** A module version tag, with its leading `v`. */
  version: string;
  /** The package variable a release build sets to the version (`-ldflags -X`), so `--version` answers as released. */
  versionVariable?: string;
}

/** The pinned Go tools of the managed environment: the one place to add or upgrade one. */
export const GO_TOOLS: readonly GoTool[] = [
  {
    name: "gitleaks",
    module: "github.com/zricethezav/gitleaks/v8",
    version: "v8.30.1",
    versionVariable: "github.com/zricethezav/gitleaks/v8/version.Version",
  },
];
