// Builds build/jackpool, one executable with no node_modules and no Node installation needed: the CLI and its
// worker threads bundled by esbuild, injected into a copy of this Node binary as a single executable
// application (https://nodejs.org/api/single-executable-applications.html) with postject. Everything comes
// from node_modules and the local Node: nothing is downloaded, so the build works in air-gapped CI.
// Run after `tsc` (npm run build does both): it reads the asset names from the compiled build/js.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { inject } from "postject";
import {
  PISCINA_WORKER_GLOBAL,
  SEA_ASSETS_ID,
  SEA_WORKER_ASSETS,
  SHIPPED_FILES,
  shippedAssetName,
} from "../build/js/src/self/worker-files.js";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const staging = path.join(repo, "build/sea");
const binary = path.join(repo, "build/jackpool");
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

/** Node 20's single executable applications run one CommonJS script; worker threads load files of their own. */
// @napi-rs/nice is piscina's optional native module for thread priorities, which jackpool does not set.
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  external: ["@napi-rs/nice"],
  // Packages' ES module builds first: jsonc-parser's "main" is a UMD bundle whose require() calls esbuild cannot follow.
  mainFields: ["module", "main"],
};

// piscina starts each thread on its own dist/worker.js, found next to its index.js: inside the binary there is
// no such directory, so the path is taken from where worker-files.ts wrote the embedded copy.
const piscinaWorkerPath = {
  name: "piscina-worker-path",
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]piscina[\\/]dist[\\/]index\.js$/ }, ({ path: file }) => {
      const source = readFileSync(file, "utf8");
      const original = "(0, node_path_1.resolve)(__dirname, 'worker.js')";
      if (!source.includes(original))
        throw new Error(`piscina changed: "${original}" not found in ${file}; update scripts/build-binary.mjs`);
      return { contents: source.replace(original, `globalThis[Symbol.for(${JSON.stringify(PISCINA_WORKER_GLOBAL)})]`), loader: "js" };
    });
  },
};

const outputs = {
  main: path.join(staging, "jackpool.cjs"),
  [SEA_WORKER_ASSETS.task]: path.join(staging, SEA_WORKER_ASSETS.task),
  [SEA_WORKER_ASSETS.piscina]: path.join(staging, SEA_WORKER_ASSETS.piscina),
};
await Promise.all([
  // import.meta.url only serves the compiled tree's worker path, which the binary never takes.
  build({
    ...common,
    entryPoints: [path.join(repo, "src/cli.ts")],
    outfile: outputs.main,
    plugins: [piscinaWorkerPath],
    logOverride: { "empty-import-meta": "silent" },
  }),
  build({ ...common, entryPoints: [path.join(repo, "workers/task-worker.ts")], outfile: outputs[SEA_WORKER_ASSETS.task] }),
  build({ ...common, entryPoints: [path.join(repo, "node_modules/piscina/dist/worker.js")], outfile: outputs[SEA_WORKER_ASSETS.piscina] }),
]);

// The task worker bundle loads the embedded ruff's WebAssembly from its own directory; semgrep reads its
// default rules from a file, and refurb's Python runs the interface-digest script from one.
const assets = {
  [SEA_WORKER_ASSETS.task]: outputs[SEA_WORKER_ASSETS.task],
  [SEA_WORKER_ASSETS.piscina]: outputs[SEA_WORKER_ASSETS.piscina],
  [SEA_WORKER_ASSETS.ruffWasm]: path.join(repo, "node_modules/@astral-sh/ruff-wasm-nodejs", SEA_WORKER_ASSETS.ruffWasm),
  ...Object.fromEntries(SHIPPED_FILES.map((file) => [shippedAssetName(file), path.join(repo, file)])),
};
const hash = createHash("sha256");
for (const [name, file] of Object.entries(assets)) hash.update(name).update(readFileSync(file));
assets[SEA_ASSETS_ID] = path.join(staging, SEA_ASSETS_ID);
writeFileSync(assets[SEA_ASSETS_ID], hash.digest("hex").slice(0, 16));

const blob = path.join(staging, "sea-prep.blob");
const seaConfig = path.join(staging, "sea-config.json");
writeFileSync(
  seaConfig,
  JSON.stringify({
    main: outputs.main,
    output: blob,
    disableExperimentalSEAWarning: true,
    // V8's compiled code for the main script is stored too: start-up skips parsing and compiling it.
    useCodeCache: true,
    assets,
  }),
);
execFileSync(process.execPath, ["--experimental-sea-config", seaConfig], { stdio: "inherit" });

rmSync(binary, { force: true });
copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
await inject(binary, "NODE_SEA_BLOB", readFileSync(blob), { sentinelFuse: "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2" });
console.log(`built ${path.relative(repo, binary)} (${(statSync(binary).size / 2 ** 20).toFixed(1)} MiB, Node ${process.versions.node})`);
