import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sha256 } from "../src/files/content.js";
import { ImportComponents } from "../src/memory/keys/import-components.js";
import { ContentHasher } from "../src/memory/keys/hasher.js";
import { ImportReferences } from "../src/memory/keys/import-references.js";
import { importGraph, referencedModules } from "../src/memory/keys/python-imports.js";
import { tempDir, writeFiles } from "./helpers.js";

/** The import graph of the files under `root` and its components, parsed and hashed as the memory cache does. */
async function componentsOf(root: string, files: readonly string[]): Promise<ImportComponents> {
  const hasher = new ContentHasher(root);
  const references = await ImportReferences.open(root);
  const graph = await importGraph(files, (file) => references.of(file, hasher));
  return ImportComponents.of(graph, (file) => hasher.hash(file));
}

function digestOf(components: ImportComponents, file: string): string {
  return components.digest(components.componentOf(file)!);
}

/** Files grouped by digest: the files whose keys share one import component, each group sorted. */
function sharedDigests(components: ImportComponents, files: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const file of files) groups.set(digestOf(components, file), [...(groups.get(digestOf(components, file)) ?? []), file]);
  return [...groups.values()].map((group) => group.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

it("finds the project files each module imports directly, in all import forms", async () => {
  const root = await tempDir();
  const files = {
    "src/app/__init__.py": "",
    "src/app/main.py": "from .service import run\nimport app.util as u\n",
    "src/app/service.py":
      "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.models import (\n        Item,\n        Order,\n    )\n",
    "src/app/models.py": "from . import helpers\n",
    "src/app/helpers.py": "X = 1\n",
    "src/app/util.py": "import os, json\n",
    "src/app/sub/__init__.py": "",
    "src/app/sub/deep.py": "from .. import util\nfrom ..sub import leaf\n",
    "src/app/sub/leaf.py": "",
    "tools/standalone.py": "import sys\n",
  };
  await writeFiles(root, files);
  const graph = await importGraph(Object.keys(files), async (file) =>
    referencedModules(file, await readFile(path.join(root, file), "utf8")),
  );
  expect(Object.fromEntries(graph)).toEqual({
    "src/app/__init__.py": [],
    // `import app.util` runs app/__init__.py too.
    "src/app/main.py": ["src/app/__init__.py", "src/app/service.py", "src/app/util.py"],
    "src/app/service.py": ["src/app/__init__.py", "src/app/models.py"],
    "src/app/models.py": ["src/app/__init__.py", "src/app/helpers.py"],
    "src/app/helpers.py": [],
    "src/app/util.py": [],
    "src/app/sub/__init__.py": [],
    "src/app/sub/deep.py": ["src/app/__init__.py", "src/app/sub/__init__.py", "src/app/sub/leaf.py", "src/app/util.py"],
    "src/app/sub/leaf.py": [],
    "tools/standalone.py": [],
  });
});

describe("import components", () => {
  const FILES = {
    // A cycle: the package imports its modules, and each module imports the package.
    "pkg/__init__.py": "from pkg import alpha, beta\n",
    "pkg/alpha.py": "import pkg\nfrom lib import base\n",
    "pkg/beta.py": "import pkg\n",
    // A chain below the cycle (lib has no __init__.py to import): base → deep → deeper.
    "lib/base.py": "from lib import deep\n",
    "lib/deep.py": "from lib import deeper\n",
    "lib/deeper.py": "X = 1\n",
    // Imports only base: outside the cycle, above the chain.
    "tools/report.py": "from lib import base\n",
    "tools/alone.py": "import os\n",
  };
  const NAMES = Object.keys(FILES);

  it("a cycle shares one digest; every other file has its own", async () => {
    const root = await tempDir();
    await writeFiles(root, FILES);
    const components = await componentsOf(root, NAMES);
    expect(sharedDigests(components, NAMES)).toEqual([
      ["lib/base.py"],
      ["lib/deep.py"],
      ["lib/deeper.py"],
      ["pkg/__init__.py", "pkg/alpha.py", "pkg/beta.py"],
      ["tools/alone.py"],
      ["tools/report.py"],
    ]);
    // The digest is a function of content only: the same files elsewhere give the same digests.
    const elsewhere = await tempDir();
    await writeFiles(elsewhere, FILES);
    const again = await componentsOf(elsewhere, [...NAMES].reverse());
    for (const file of NAMES) expect(digestOf(again, file)).toBe(digestOf(components, file));
  });

  it("a change in a deep import changes the digest of every file that reaches it, and no other", async () => {
    const root = await tempDir();
    await writeFiles(root, FILES);
    const before = await componentsOf(root, NAMES);
    await appendFile(path.join(root, "lib/deeper.py"), "Y = 2\n");
    const after = await componentsOf(root, NAMES);
    const changed = NAMES.filter((file) => digestOf(before, file) !== digestOf(after, file)).sort();
    expect(changed).toEqual([
      "lib/base.py",
      "lib/deep.py",
      "lib/deeper.py",
      "pkg/__init__.py",
      "pkg/alpha.py",
      "pkg/beta.py",
      "tools/report.py",
    ]);

    // Within the cycle: a change to one member changes the whole cycle's digest and nothing below it.
    await appendFile(path.join(root, "pkg/beta.py"), "Z = 3\n");
    const cycleEdited = await componentsOf(root, NAMES);
    expect(NAMES.filter((file) => digestOf(after, file) !== digestOf(cycleEdited, file)).sort()).toEqual([
      "pkg/__init__.py",
      "pkg/alpha.py",
      "pkg/beta.py",
    ]);
  });

  it("a new import edge changes the importer's digest even when no content it already reached changed", async () => {
    const root = await tempDir();
    await writeFiles(root, FILES);
    const before = await componentsOf(root, NAMES);
    await writeFiles(root, { "tools/report.py": "from pkg import base\nimport alone\n" });
    const after = await componentsOf(root, NAMES);
    expect(NAMES.filter((file) => digestOf(before, file) !== digestOf(after, file))).toEqual(["tools/report.py"]);
    expect(digestOf(after, "tools/alone.py")).toBe(digestOf(before, "tools/alone.py"));
  });

  it("condenses a 20,000-module import chain without overflowing the stack", async () => {
    const count = 20_000;
    const graph = new Map(Array.from({ length: count }, (_, index) => [`m${index}.py`, index + 1 < count ? [`m${index + 1}.py`] : []]));
    // The last module imports the first: one cycle through every module.
    const cycle = new Map(graph).set(`m${count - 1}.py`, ["m0.py"]);
    const hash = (file: string) => Promise.resolve(sha256(file));
    const chain = await ImportComponents.of(graph, hash);
    const ring = await ImportComponents.of(cycle, hash);
    expect(new Set([...graph.keys()].map((file) => chain.componentOf(file))).size).toBe(count);
    expect(new Set([...cycle.keys()].map((file) => ring.componentOf(file))).size).toBe(1);
  });

  it("checks what changed since the digests, reading each file once, and fails exactly the importers of an edit", async () => {
    const root = await tempDir();
    await writeFiles(root, FILES);
    const components = await componentsOf(root, NAMES);
    await appendFile(path.join(root, "lib/deep.py"), "# edited during the scan\n");
    const reads: string[] = [];
    const check = components.unchangedCheck(async (file) => {
      reads.push(file);
      return sha256(await readFile(path.join(root, file)));
    });
    const unchanged: Record<string, boolean> = {};
    for (const file of NAMES) unchanged[file] = await check(components.componentOf(file)!);
    expect(unchanged).toEqual({
      "pkg/__init__.py": false,
      "pkg/alpha.py": false,
      "pkg/beta.py": false,
      "lib/base.py": false,
      "lib/deep.py": false,
      "lib/deeper.py": true,
      "tools/report.py": false,
      "tools/alone.py": true,
    });
    expect(reads.sort()).toEqual([...NAMES].sort());
  });
});

describe("import references", () => {
  it("are parsed once per content: a saved file's modules are reused while its content hash matches", async () => {
    const root = await tempDir();
    await writeFiles(root, { "pkg/__init__.py": "", "pkg/a.py": "from . import b\n", "pkg/b.py": "import os\n" });
    const files = ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"];
    const first = await ImportReferences.open(root);
    expect(await first.of("pkg/a.py", new ContentHasher(root))).toEqual(["pkg", "pkg", "pkg.b"]);
    for (const file of files.filter((file) => file !== "pkg/a.py")) await first.of(file, new ContentHasher(root));
    await first.save();
    const saved = JSON.parse(await readFile(path.join(root, ".crackerjack/imports.json"), "utf8")) as {
      files: Record<string, [string, string[]]>;
    };
    expect(Object.keys(saved.files).sort()).toEqual(files);
    expect(saved.files["pkg/a.py"]).toEqual([sha256("from . import b\n"), ["pkg", "pkg", "pkg.b"]]);
    // What was saved for this content answers, unparsed: a planted answer proves it is not parsed again.
    saved.files["pkg/a.py"] = [saved.files["pkg/a.py"]![0], ["planted"]];
    await writeFiles(root, { ".crackerjack/imports.json": JSON.stringify(saved) });
    expect(await (await ImportReferences.open(root)).of("pkg/a.py", new ContentHasher(root))).toEqual(["planted"]);
    // New content is parsed again.
    await appendFile(path.join(root, "pkg/a.py"), "import json\n");
    expect(await (await ImportReferences.open(root)).of("pkg/a.py", new ContentHasher(root))).toEqual(["json", "pkg", "pkg", "pkg.b"]);
    // A state file of another shape is no answer.
    await writeFiles(root, { ".crackerjack/imports.json": '{"format": 1, "files": {"pkg/b.py": "nonsense"}}' });
    expect(await (await ImportReferences.open(root)).of("pkg/b.py", new ContentHasher(root))).toEqual(["os"]);
  });
});
