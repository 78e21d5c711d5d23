// The pinned real projects (scripts/fetch-real-project.sh: pygments 2.19.2 by default) as fresh git
// repositories, for benchmarks that scan them.
import { execFileSync } from "node:child_process";
import { cpSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A pinned real project's directory (default pygments 2.19.2; its wheel, or with kind "sdist" its sdist), fetched on first use. */
export function realProjectSource(name = "pygments", version = "2.19.2", kind = "wheel") {
  return execFileSync("bash", [path.join(repo, "scripts/fetch-real-project.sh"), name, version, kind], { encoding: "utf8" }).trim();
}

/** Copies `source` (default: the pinned real project) to `project` and commits everything there. */
export function committedRealProject(project, source = realProjectSource()) {
  cpSync(source, project, { recursive: true });
  const gitIn = (...args) => execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: project });
  gitIn("init", "-q");
  gitIn("add", "-A");
  gitIn("commit", "-qm", "bench");
}
