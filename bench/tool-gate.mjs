#!/usr/bin/env node
// Benchmark: what the gate costs a tool's launch (src/execute/watchdog.ts). Every tool starts behind a one-line shell
// that waits for the watchdog to hold its process group; this times a launch of a program that does nothing, bare
// against gated, in alternating batches, as execute-task.ts spawns it (detached, output piped).
// Usage: node bench/tool-gate.mjs [launches per batch] [batches]   (after npm run build:js). Prints Markdown.
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { gated } = await import(path.join(repo, "build/js/src/execute/watchdog.js"));
const launches = Number(process.argv[2] ?? 100);
const batches = Number(process.argv[3] ?? 5);
const program = "/bin/true";

async function batch(gate) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < launches; index++) {
    if (gate) {
      const [shell, args] = gated(program, []);
      const child = execa(shell, args, { stdin: "pipe", detached: true, reject: false });
      child.stdin.end("go\n");
      await child;
    } else await execa(program, [], { stdin: "ignore", detached: true, reject: false });
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / launches;
}

const times = { bare: [], gated: [] };
for (let round = 0; round < batches; round++) {
  times.bare.push(await batch(false));
  times.gated.push(await batch(true));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const [bare, gate] = [median(times.bare), median(times.gated)];
console.log(
  [
    `### The tool gate: ${batches} alternating batches of ${launches} launches of ${program}, medians (${os.availableParallelism()} cores)`,
    "",
    "| launch | per launch |",
    "|---|---|",
    `| bare | ${bare.toFixed(2)} ms |`,
    `| gated | ${gate.toFixed(2)} ms |`,
    `| the gate's cost | ${(gate - bare).toFixed(2)} ms (${(gate / bare).toFixed(2)}×) |`,
  ].join("\n"),
);
