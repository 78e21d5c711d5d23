// Bundles the CLI and its worker threads with esbuild into build/bundle/: what `bin/jackpool.js` runs and what the
// single binary embeds (scripts/build-binary.mjs), so both run the same code. One file per thread instead of the
// compiled tree's hundreds of modules starts in half the time, which every scan and every pre-commit hook pays.
// Run after `tsc` (npm run build:js does both): it reads the asset names from the compiled build/js.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLE_FILES, PISCINA_WORKER_GLOBAL } from "../build/js/src/self/worker-files.js";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(repo, "build/bundle");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** Node 20's single executable applications run one CommonJS script; worker threads load files of their own. */
// @napi-rs/nice is piscina's optional native module for thread priorities, which jackpool does not set.
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // Whitespace and syntax only: names stay, so a stack trace in an internal error still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
  external: ["@napi-rs/nice"],
  // Packages' ES module builds first: jsonc-parser's "main" is a UMD bundle whose require() calls esbuild cannot follow.
  mainFields: ["module", "main"],
  // The sources find files beside them through import.meta.url, which CommonJS lacks: each bundle gets its own file's
  // URL (none inside the single binary, whose files are its embedded assets), and knows it is a bundle.
  banner: {
    js: 'var __jackpoolBundleUrl = typeof __filename === "string" ? require("node:url").pathToFileURL(__filename).href : undefined;',
  },
  define: { "import.meta.url": "__jackpoolBundleUrl", JACKPOOL_BUNDLE: "true" },
};

// piscina starts each thread on its own dist/worker.js, found next to its index.js: in a bundle there is no such
// directory, so the path is taken from where worker-files.ts says the bundled copy is.
const piscinaWorkerPath = {
  name: "piscina-worker-path",
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]piscina[\\/]dist[\\/]index\.js$/ }, ({ path: file }) => {
      const source = readFileSync(file, "utf8");
      const original = "(0, node_path_1.resolve)(__dirname, 'worker.js')";
      if (!source.includes(original)) throw new Error(`piscina changed: "${original}" not found in ${file}; update scripts/bundle.mjs`);
      return { contents: source.replace(original, `globalThis[Symbol.for(${JSON.stringify(PISCINA_WORKER_GLOBAL)})]`), loader: "js" };
    });
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [path.join(repo, "src/cli.ts")],
    outfile: path.join(out, BUNDLE_FILES.cli),
    plugins: [piscinaWorkerPath],
  }),
  build({ ...common, entryPoints: [path.join(repo, "workers/task-worker.ts")], outfile: path.join(out, BUNDLE_FILES.task) }),
  // BullMQ in a file of its own, which the CLI loads only for the queue (self/worker-files.ts, loadBullmq). Its
  // CommonJS build: msgpackr's optional native speed-up (msgpackr-extract) is left out, and it falls back to JavaScript.
  build({
    ...common,
    mainFields: ["main"],
    entryPoints: [path.join(repo, "node_modules/bullmq/dist/cjs/index.js")],
    outfile: path.join(out, BUNDLE_FILES.bullmq),
    external: ["msgpackr-extract"],
  }),
  build({
    ...common,
    entryPoints: [path.join(repo, "node_modules/piscina/dist/worker.js")],
    outfile: path.join(out, BUNDLE_FILES.piscina),
  }),
]);
// The bundled embedded ruff loads its WebAssembly from its own directory.
copyFileSync(path.join(repo, "node_modules/@astral-sh/ruff-wasm-nodejs", BUNDLE_FILES.ruffWasm), path.join(out, BUNDLE_FILES.ruffWasm));
