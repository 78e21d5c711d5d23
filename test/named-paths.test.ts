import { mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { git, gitRepo, jackpool, writeFiles } from "./helpers.js";

it("a named path that holds nothing to scan says why on stderr; the scan passes with 0 files, exit 0", async () => {
  const library = await gitRepo({ "lib.py": "import os\n" });
  const root = await gitRepo({
    "real.py": "import os\n",
    ".gitignore": "build/\n",
    ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n  exclude: ['generated/']\n",
    "generated/g.py": "import os\n",
  });
  await symlink("real.py", path.join(root, "link.py"));
  await writeFiles(root, { "build/out.py": "import os\n" });
  await mkdir(path.join(root, "empty"));
  await git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "vendor/lib");
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "layout");

  const cases: [string, string][] = [
    ["link.py", "a symbolic link: jackpool scans regular files, so name the file it points to"],
    ["build", "ignored by git"],
    ["vendor/lib", "a git submodule: its files belong to another repository, so scan it there"],
    ["generated", "excluded by pool_scanning.exclude"],
    ["empty", "no file in it that jackpool scans"],
  ];
  for (const [named, why] of cases) {
    const run = await jackpool(root, ["scan", "--tools", "ruff", "--quiet", named]);
    expect(run.exitCode, named).toBe(0);
    expect(run.stderr).toBe(`jackpool: warning: ${named}: nothing scanned: ${why}`);
    expect(run.stdout).toMatch(/^passed: 0 findings in 0 files, /m);
  }
  const mixed = await jackpool(root, ["scan", "--tools", "ruff", "--quiet", "real.py", "link.py"]);
  expect(mixed.exitCode).toBe(1);
  expect(mixed.stderr).toBe(
    "jackpool: warning: link.py: nothing scanned: a symbolic link: jackpool scans regular files, so name the file it points to",
  );
});
