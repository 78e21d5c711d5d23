#!/usr/bin/env node
// Prints the slowest tests of a vitest JSON report (--reporter=json --outputFile.json=FILE), so a regression shows
// at the end of every CI run.  Usage: node scripts/slowest-tests.mjs FILE [COUNT]
import { readFileSync } from "node:fs";
import path from "node:path";

const [file, count = "10"] = process.argv.slice(2);
const results = JSON.parse(readFileSync(file, "utf8"));
const tests = results.testResults.flatMap((suite) =>
  suite.assertionResults.map((test) => ({
    name: `${path.relative(process.cwd(), suite.name)} > ${test.fullName}`,
    ms: test.duration ?? 0,
  })),
);
const total = (results.testResults.reduce((end, suite) => Math.max(end, suite.endTime), 0) - results.startTime) / 1000;
console.log(`${results.numTotalTests} tests in ${total.toFixed(0)} s; the slowest ${count}:`);
for (const test of tests.sort((a, b) => b.ms - a.ms).slice(0, Number(count))) {
  console.log(`${(test.ms / 1000).toFixed(1).padStart(7)} s  ${test.name}`);
}
// A file's time includes its beforeAll and afterAll hooks, which no single test's time does.
const files = results.testResults.map((suite) => ({ name: path.relative(process.cwd(), suite.name), ms: suite.endTime - suite.startTime }));
console.log(`the slowest ${Math.min(5, files.length)} files:`);
for (const suite of files.sort((a, b) => b.ms - a.ms).slice(0, 5))
  console.log(`${(suite.ms / 1000).toFixed(1).padStart(7)} s  ${suite.name}`);
