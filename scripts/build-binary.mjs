// Builds build/jackpool, one executable with no node_modules and no Node installation needed: the bundle of
// scripts/bundle.mjs (the CLI and its worker threads) injected into a copy of this Node binary as a single executable
// application (https://nodejs.org/api/single-executable-applications.html) with postject. Everything comes from
// node_modules and the local Node: nothing is downloaded, so the build works in air-gapped CI.
// Run after `npm run build:js`, which compiles and bundles.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "postject";
import { BUNDLE_FILES, SEA_ASSETS_ID, SHIPPED_FILES, shippedAssetName } from "../build/js/src/self/worker-files.js";

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const staging = path.join(repo, "build/sea");
const binary = path.join(repo, "build/jackpool");
const bundle = path.join(repo, "build/bundle");
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });

// The task worker bundle loads the embedded ruff's WebAssembly from its own directory; semgrep reads its
// default rules from a file, and refurb's Python runs the interface-digest script from one.
const assets = {
  ...Object.fromEntries(
    [BUNDLE_FILES.task, BUNDLE_FILES.piscina, BUNDLE_FILES.ruffWasm, BUNDLE_FILES.bullmq].map((name) => [name, path.join(bundle, name)]),
  ),
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
    main: path.join(bundle, BUNDLE_FILES.cli),
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
