import { mkdtemp, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settledMtimes } from "../src/tools/python/settled-mtimes.js";

describe("settledMtimes: mypy starts only once its files' newest mtime is in a past second", () => {
  it("waits out the second of a file saved in it", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "jackpool-mtimes-"));
    await writeFile(path.join(dir, "old.py"), "x = 1\n");
    await writeFile(path.join(dir, "new.py"), "x = 2\n");
    // Saved "in" the coming second (as a clock a little ahead would have it): the wait covers that whole second.
    const saved = new Date(Date.now() + 1200);
    await utimes(path.join(dir, "new.py"), saved, saved);
    await settledMtimes(["old.py", "new.py", "gone.py"], dir);
    const newest = (await stat(path.join(dir, "new.py"))).mtimeMs;
    expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(Math.floor(newest / 1000));
  });
});
