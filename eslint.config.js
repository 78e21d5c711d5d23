// Type-aware lint: floating promises and misused promises are the bugs a process-juggling tool cannot afford.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      ".venv/",
      ".cache/",
      "test/fixtures/",
      "examples/",
      "bench/",
      "eslint.config.js",
      "vitest.config.ts",
      "vitest.corpus.config.ts",
      "vitest.quick.config.ts",
      ".dependency-cruiser.cjs",
      "bin/",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  // Build scripts are plain JavaScript outside the TypeScript project: linted without type information.
  { files: ["scripts/**/*.mjs"], extends: [tseslint.configs.disableTypeChecked] },
);
