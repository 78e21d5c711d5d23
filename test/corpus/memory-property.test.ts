import { existsSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { editScript } from "../edit-script.js";
import { REPO, git, scanJson, tempDir } from "../helpers.js";
import { firstDifference } from "../report-difference.js";

// Every kind of key the memory cache makes: per file (ruff, complexipy, codespell, semgrep, gitleaks), per file and
// its imports' interfaces (refurb), whole project (vulture, mypy). skylos keys like vulture and only adds minutes.
const TOOLS = "ruff,refurb,complexipy,codespell,semgrep,gitleaks,vulture,mypy";
// A corpus project (scripts/fetch-corpus.sh) with a package of modules that import each other; JACKPOOL_MEMORY_PROJECT
// names another one.
const PROJECT = process.env.JACKPOOL_MEMORY_PROJECT ?? "werkzeug";
const SOURCE = path.join(REPO, ".cache", "corpus", PROJECT);

describe("memory property: after every step of a scripted edit session, the cached report is the uncached one", () => {
  it.runIf(existsSync(SOURCE))(
    `on a real project (${PROJECT})`,
    async () => {
      const root = await tempDir("jackpool-memory-property-");
      await cp(SOURCE, root, { recursive: true, filter: (file) => !file.endsWith(`${path.sep}.git`) });
      await git(root, "init", "-q", "-b", "main");
      await git(root, "add", "-A", "-f");
      await git(root, "commit", "-qm", "initial");
      // Chunks of 25 files: the per-file tools run in several tasks, as they would on a larger project.
      const args = ["--all", "--tools", TOOLS, "--max-chunk-files", "25"];
      await scanJson(root, args); // memory starts full, as on a developer's machine
      for (const edit of editScript()) {
        await edit.apply(root);
        const cached = await scanJson(root, args);
        const uncached = await scanJson(root, [...args, "--no-cache"]);
        expect(firstDifference(uncached.report, cached.report), `after "${edit.name}"`).toBeNull();
        expect(cached.run.exitCode, `after "${edit.name}"`).toBe(uncached.run.exitCode);
      }
    },
    900_000,
  );
});
