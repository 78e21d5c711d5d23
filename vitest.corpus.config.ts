import { defineConfig } from "vitest/config";

// The fidelity corpus (npm run test:corpus): real projects, one at a time, each scanned a few times by every tool.
export default defineConfig({
  test: {
    include: ["test/corpus/**/*.test.ts"],
    testTimeout: 600_000,
    // pylint (2,517 files, the slow tier) takes 15 to 40 minutes of beforeAll: skylos runs four times on it, minutes each.
    hookTimeout: 3_600_000,
    maxWorkers: 1,
  },
});
