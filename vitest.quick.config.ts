import { defineConfig } from "vitest/config";

// npm run test:quick, the inner loop (about a minute): pure logic (distribution, keys, digests, config, selection,
// redaction) and the tests that need no more than one short process per case. npm test runs these and the rest.
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
    include: [
      "test/distribute.test.ts",
      "test/baseline-logic.test.ts",
      "test/memory-manifests.test.ts",
      "test/interface-digest.test.ts",
      "test/python-imports.test.ts",
      "test/select.test.ts",
      "test/settled-mtimes.test.ts",
      "test/local-pool.test.ts",
      "test/config.test.ts",
      "test/redaction.test.ts",
      "test/named-paths.test.ts",
      "test/odd-names.test.ts",
      "test/no-writes.test.ts",
      "test/broken-input.test.ts",
      "test/memory-store.test.ts",
      "test/corrupt-memory.test.ts",
      "test/mahavishnu-hostile.test.ts",
    ],
  },
});
