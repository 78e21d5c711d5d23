import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fidelity corpus has its own command and config (npm run test:corpus).
    exclude: ["test/corpus/**", "**/node_modules/**"],
    // Real tools and real processes: generous limits, and no more parallel files than this machine has cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    maxWorkers: 2,
  },
});
