#!/usr/bin/env node
// The installed entry point: the bundled CLI in build/bundle, the same code the single binary runs (`npm run build:js`
// compiles and bundles it first). Required, not imported: importing CommonJS from an ES module makes Node scan the
// whole 2 MB bundle for its export names first, a tenth of a second on every run.
import { createRequire } from "node:module";

createRequire(import.meta.url)("../build/bundle/jackpool.cjs");
