import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { importClosures } from "../src/memory/python-imports.js";
import { tempDir, writeFiles } from "./helpers.js";

it("finds every project file a module imports, directly or transitively, in all import forms", async () => {
  const root = await tempDir();
  const files = {
    "src/app/__init__.py": "",
    "src/app/main.py": "from .service import run\nimport app.util as u\n",
    "src/app/service.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.models import (\n        Item,\n        Order,\n    )\n",
    "src/app/models.py": "from . import helpers\n",
    "src/app/helpers.py": "X = 1\n",
    "src/app/util.py": "import os, json\n",
    "src/app/sub/__init__.py": "",
    "src/app/sub/deep.py": "from .. import util\nfrom ..sub import leaf\n",
    "src/app/sub/leaf.py": "",
    "tools/standalone.py": "import sys\n",
  };
  await writeFiles(root, files);
  const closures = await importClosures(Object.keys(files), (file) => readFile(path.join(root, file)));
  expect(closures.get("src/app/main.py")).toEqual([
    "src/app/__init__.py",
    "src/app/helpers.py",
    "src/app/models.py",
    "src/app/service.py",
    "src/app/util.py",
  ]);
  expect(closures.get("src/app/models.py")).toEqual(["src/app/__init__.py", "src/app/helpers.py"]);
  expect(closures.get("src/app/sub/deep.py")).toEqual(["src/app/__init__.py", "src/app/sub/__init__.py", "src/app/sub/leaf.py", "src/app/util.py"]);
  expect(closures.get("src/app/helpers.py")).toEqual([]);
  expect(closures.get("tools/standalone.py")).toEqual([]);
});
