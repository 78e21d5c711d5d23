// `import a.b as c, d` and `from .x import (y, z)`, at any indentation (imports inside functions and
// `if TYPE_CHECKING:` blocks count: mypy follows them too).
const IMPORT = /^[ \t]*import[ \t]+([\w. \t,]+)/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm;

/** The dotted module a project file defines: `pkg/mod.py` → `pkg.mod`, `pkg/__init__.py` → `pkg`. */
function moduleOf(file: string): string {
  const withoutExtension = file.replace(/\.pyi?$/, "");
  return withoutExtension
    .replace(/\/__init__$/, "")
    .split("/")
    .join(".");
}

/** Names of the modules a file's import statements can refer to, absolute, as dotted paths. */
export function referencedModules(file: string, source: string): string[] {
  const referenced: string[] = [];
  const add = (module: string): void => {
    const parts = module.split(".").filter(Boolean);
    // Importing a.b.c also runs a and a.b: mypy analyses the packages on the way.
    for (let end = 1; end <= parts.length; end++) referenced.push(parts.slice(0, end).join("."));
  };
  for (const [, list = ""] of source.matchAll(IMPORT)) {
    for (const item of list.split(",")) add(item.trim().split(/\s+/)[0] ?? "");
  }
  const packageParts = moduleOf(file).split(".");
  if (!file.endsWith("__init__.py") && !file.endsWith("__init__.pyi")) packageParts.pop();
  for (const [, dots = "", module = "", names = ""] of source.matchAll(FROM_IMPORT)) {
    const base =
      dots.length === 0 ? module : [...packageParts.slice(0, packageParts.length - (dots.length - 1)), module].filter(Boolean).join(".");
    add(base);
    // `from pkg import name` may name a submodule.
    for (const name of names.replace(/[()\\]/g, " ").split(",")) {
      const imported = name.trim().split(/\s+/)[0] ?? "";
      if (/^\w+$/.test(imported)) add(base ? `${base}.${imported}` : imported);
    }
  }
  return referenced;
}

/**
 * For each Python file, the project files its import statements name: the direct edges of the import graph,
 * sorted. What a type-aware tool (refurb, through mypy) reports for a file can depend on every file it reaches
 * through them (see import-components.ts). Module names match by suffix (`inventory.models` matches
 * `src/inventory/models.py`), so the graph errs on the side of too many edges, which costs cache hits, never
 * correctness.
 */
export async function importGraph(
  files: readonly string[],
  /** The modules a file's imports name (`referencedModules` of its content). */
  modulesOf: (file: string) => Promise<readonly string[]>,
): Promise<Map<string, string[]>> {
  const python = files.filter((file) => /\.pyi?$/.test(file));
  const bySuffix = new Map<string, string[]>();
  for (const file of python) {
    const parts = moduleOf(file).split(".");
    for (let start = 0; start < parts.length; start++) {
      const suffix = parts.slice(start).join(".");
      const matching = bySuffix.get(suffix);
      if (matching) matching.push(file);
      else bySuffix.set(suffix, [file]);
    }
  }
  const graph = new Map<string, string[]>(python.map((file) => [file, []]));
  await Promise.all(
    python.map(async (file) => {
      const targets = new Set((await modulesOf(file)).flatMap((module) => bySuffix.get(module) ?? []));
      targets.delete(file);
      graph.set(file, [...targets].sort());
    }),
  );
  return graph;
}
