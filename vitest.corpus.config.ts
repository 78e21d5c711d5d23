import { defineConfig } from "vitest/config";

// The fidelity corpus (npm run test:corpus): real projects, one at a time, each scanned a few times by every tool.
export default defineConfig({
  test: {
    include: ["test/corpus/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    maxWorkers: 1,
  },
});
