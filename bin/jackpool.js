#!/usr/bin/env node
// The installed entry point: the compiled CLI lives in build/js (run `npm run build` first).
import "../build/js/src/cli.js";
