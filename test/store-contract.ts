import { afterEach, describe, expect, it } from "vitest";
import type { CacheKey, CachedResult, ResultStore } from "../src/memory/stores/store.js";

const HOUR_MS = 3_600_000;

function key(name: string): CacheKey {
  return `contract-${name}` as CacheKey;
}

/** A result with what serializers get wrong: non-ASCII paths, null columns, a message starting with a colon. */
function result(durationMs: number): CachedResult {
  return {
    findings: [
      {
        tool: "codespell",
        rule: "codespell",
        severity: "warning",
        path: "src/café/数据 ☃.py",
        line: 3,
        column: null,
        message: "teh ==> the",
      },
      {
        tool: "ruff",
        rule: "F401",
        severity: "error",
        path: "src/a.py",
        line: 1,
        column: 8,
        endLine: 1,
        endColumn: 10,
        message: ":base64: `os` imported but unused",
        url: "https://docs.astral.sh/ruff/rules/unused-import",
      },
    ],
    durationMs,
  };
}

async function sleepUntil(time: number): Promise<void> {
  while (Date.now() <= time) await new Promise((resolve) => setTimeout(resolve, 20));
}

/**
 * The behaviour every ResultStore owes the memory cache. `open` opens the same backing store each time it is
 * called (so a reopened store sees earlier writes); the suite clears it at the start of each test.
 */
export function storeContract(name: string, open: () => Promise<ResultStore>): void {
  describe(`store contract: ${name}`, () => {
    const opened: ResultStore[] = [];
    const fresh = async (): Promise<ResultStore> => {
      const store = await open();
      opened.push(store);
      return store;
    };
    const empty = async (): Promise<ResultStore> => {
      const store = await fresh();
      await store.clear();
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    it("a key never stored is a miss", async () => {
      const store = await empty();
      expect(await store.get(key("absent"))).toBeUndefined();
    });

    it("gives back exactly what was stored, unicode paths and null columns included", async () => {
      const store = await empty();
      await store.set(key("a"), result(12.5), HOUR_MS);
      expect(await store.get(key("a"))).toEqual(result(12.5));
    });

    it("an entry past its TTL is a miss, and gc drops and counts it", async () => {
      const store = await empty();
      const setAt = Date.now();
      await store.set(key("short"), result(1), 200);
      await store.set(key("long"), result(2), HOUR_MS);
      expect(await store.get(key("short"))).toEqual(result(1));
      await sleepUntil(setAt + 300);
      expect(await store.gc()).toBe(1);
      expect((await store.stats()).entries).toBe(1);
      expect(await store.get(key("short"))).toBeUndefined();
      expect(await store.get(key("long"))).toEqual(result(2));
    });

    it("clear empties the store", async () => {
      const store = await empty();
      for (const name of ["a", "b", "c"]) await store.set(key(name), result(1), HOUR_MS);
      await store.clear();
      expect((await store.stats()).entries).toBe(0);
      expect(await store.get(key("a"))).toBeUndefined();
    });

    it("stats counts entries, an overwritten key once", async () => {
      const store = await empty();
      for (const name of ["a", "b", "c", "a"]) await store.set(key(name), result(1), HOUR_MS);
      const { entries, bytes } = await store.stats();
      expect(entries).toBe(3);
      expect(bytes === null || bytes > 0).toBe(true);
    });

    it("values survive closing and reopening", async () => {
      const first = await empty();
      await first.set(key("kept"), result(7), HOUR_MS);
      await first.close();
      expect(await (await fresh()).get(key("kept"))).toEqual(result(7));
    });

    it("50 concurrent sets of different keys all read back", async () => {
      const store = await empty();
      const indexes = Array.from({ length: 50 }, (_, index) => index);
      await Promise.all(indexes.map((index) => store.set(key(`many-${index}`), result(index), HOUR_MS)));
      const values = await Promise.all(indexes.map((index) => store.get(key(`many-${index}`))));
      expect(values).toEqual(indexes.map((index) => result(index)));
      expect((await store.stats()).entries).toBe(50);
    });
  });
}
