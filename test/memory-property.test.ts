import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { editScript } from "./edit-script.js";
import { REAL_PROJECT, projectCopy, scanJson } from "./helpers.js";
import { firstDifference } from "./report-difference.js";

// Every kind of key the memory cache makes: per file (ruff, complexipy, codespell, semgrep, gitleaks), per file and
// its imports' interfaces (refurb), whole project (vulture, mypy). skylos keys like vulture and only adds minutes.
const TOOLS = "ruff,refurb,complexipy,codespell,semgrep,gitleaks,vulture,mypy";

describe("memory property: after every step of a scripted edit session, the cached report is the uncached one", () => {
  it.runIf(existsSync(REAL_PROJECT))(
    "on a real project (pygments 2.19.2)",
    async () => {
      const root = await projectCopy(REAL_PROJECT);
      const args = ["--all", "--tools", TOOLS, "--max-chunk-files", "60"];
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
