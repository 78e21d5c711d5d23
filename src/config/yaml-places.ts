import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import { truncated } from "../text/printable.js";

/** How long a value quoted in an error may be: enough to recognise it, and the error stays one line. */
const QUOTED_MAX_CHARS = 80;

/** `value` in double quotes, cut short when long. */
export function quoted(value: unknown): string {
  return truncated(JSON.stringify(String(value)), QUOTED_MAX_CHARS);
}

/** What a YAML node is, in words, for "expected …, got …". */
export function describe(node: Node | null | undefined): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return quoted(node.source ?? node.value);
  return "an unsupported value";
}

/** A key path as errors print it: `pool_scanning.tools.ruff.args[0]`, each key cut short when long. */
export function keyPath(keys: readonly PropertyKey[]): string {
  return keys
    .map((key, index) => (typeof key === "number" ? `[${key}]` : `${index === 0 ? "" : "."}${truncated(String(key), QUOTED_MAX_CHARS)}`))
    .join("");
}

/** Where things are in a parsed `.crackerjack.yaml`: nodes and lines by key path. */
export class YamlPlaces {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The value node at `keys` (a number is a list index), or undefined when the file does not have it. */
  node(keys: readonly PropertyKey[]): Node | undefined {
    return this.document.getIn(keys as unknown[], true) as Node | undefined;
  }

  /**
   * The line of the deepest key of `keys` that the file has: a missing key is reported where its mapping is, a key
   * whose value is wrong at the key itself.
   */
  line(keys: readonly PropertyKey[]): number {
    let node: unknown = this.document.contents;
    let line = 1;
    for (const key of keys) {
      if (isSeq(node) && typeof key === "number") {
        node = node.items[key];
        line = this.lineOf(node as Node | undefined) ?? line;
        continue;
      }
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      line = this.lineOf(pair.key as Node) ?? line;
      node = pair.value;
    }
    return line;
  }

  private lineOf(node: Node | undefined | null): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}
