import { sha256 } from "../../files/content.js";

/** A file's content hash as it is now (null when it cannot be read). */
export type CurrentHash = (file: string) => Promise<string | null>;

/**
 * The strongly connected components of an import graph (Tarjan's algorithm, iterative: a deep import chain must
 * not overflow the stack), in reverse topological order: each component comes after every component it reaches.
 */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const files = [...graph.keys()];
  const ids = new Map(files.map((file, id) => [file, id]));
  const edges = files.map((file) => (graph.get(file) ?? []).flatMap((target) => ids.get(target) ?? []));
  const discovered = new Array<number>(files.length).fill(-1);
  const low = new Array<number>(files.length).fill(0);
  const onStack = new Array<boolean>(files.length).fill(false);
  const stack: number[] = [];
  const components: string[][] = [];
  let count = 0;
  for (let root = 0; root < files.length; root++) {
    if (discovered[root] !== -1) continue;
    // Each frame is a file being visited and the position of the next import to follow from it.
    const frames: [number, number][] = [];
    const visit = (node: number): void => {
      discovered[node] = low[node] = count++;
      stack.push(node);
      onStack[node] = true;
      frames.push([node, 0]);
    };
    visit(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const [node, next] = frame;
      const targets = edges[node]!;
      if (next < targets.length) {
        frame[1] = next + 1;
        const target = targets[next]!;
        if (discovered[target] === -1) visit(target);
        else if (onStack[target]) low[node] = Math.min(low[node]!, discovered[target]!);
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] !== discovered[node]) continue;
      const component: string[] = [];
      let member: number;
      do {
        member = stack.pop()!;
        onStack[member] = false;
        component.push(files[member]!);
      } while (member !== node);
      components.push(component.sort());
    }
  }
  return components;
}

/** Interface digests (path → digest) of the files with these content hashes: see memory/interface-digests.ts. */
export type InterfacesOf = (files: ReadonlyMap<string, string>) => Promise<ReadonlyMap<string, string>>;

/**
 * An import graph condensed into its strongly connected components (files that reach each other: one import
 * cycle, or a single file), each with a Merkle digest: a hash of its members' paths and interfaces and of the
 * digests of the components it imports. A component's digest thus covers the interface of every file its
 * members reach, so one digest stands for a file's whole import closure, and keying every file costs
 * O(files + imports) instead of a closure per file.
 */
export class ImportComponents {
  private constructor(
    /** Each file's direct imports. */
    readonly graph: ReadonlyMap<string, readonly string[]>,
    /** Each file's content hash when the graph was read; null when it could not be read. */
    readonly hashes: ReadonlyMap<string, string | null>,
    /**
     * What the digests cover of each file: the interface digest of a file something imports, the content hash
     * of the others (their own keys hold it anyway); null when it could not be read.
     */
    readonly interfaces: ReadonlyMap<string, string | null>,
    private readonly componentOfFile: ReadonlyMap<string, number>,
    /** Components in reverse topological order: a component imports only components before it. */
    private readonly members: readonly (readonly string[])[],
    private readonly imports: readonly (readonly number[])[],
    private readonly digests: readonly string[],
  ) {}

  /**
   * Condenses `graph` (file → files it imports) and digests its components with the interface digests of
   * imported files (`interfacesOf`; without it, their content hashes).
   */
  static async of(
    graph: ReadonlyMap<string, readonly string[]>,
    hash: (file: string) => Promise<string | null>,
    interfacesOf?: InterfacesOf,
  ): Promise<ImportComponents> {
    const files = [...graph.keys()];
    const contentHashes = await Promise.all(files.map((file) => hash(file)));
    const hashes = new Map(files.map((file, index) => [file, contentHashes[index] ?? null]));
    const imported = new Map<string, string>();
    for (const targets of graph.values()) {
      for (const target of targets) {
        const targetHash = hashes.get(target);
        if (targetHash) imported.set(target, targetHash);
      }
    }
    const digested = interfacesOf ? await interfacesOf(imported) : new Map<string, string>();
    const interfaces = new Map(files.map((file) => [file, digested.get(file) ?? hashes.get(file) ?? null]));
    const members = stronglyConnected(graph);
    const componentOf = new Map<string, number>();
    members.forEach((component, index) => {
      for (const file of component) componentOf.set(file, index);
    });
    const imports = members.map((component, index) => {
      const targets = new Set(component.flatMap((file) => (graph.get(file) ?? []).flatMap((target) => componentOf.get(target) ?? [])));
      targets.delete(index);
      return [...targets];
    });
    // Members are sorted; imported components come earlier, so their digests exist already.
    const digests: string[] = [];
    members.forEach((component, index) => {
      const contents = component.map((file) => [file, interfaces.get(file) ?? null]);
      const imported = imports[index]!.map((target) => digests[target]!).sort();
      digests.push(sha256(JSON.stringify([contents, imported])));
    });
    return new ImportComponents(graph, hashes, interfaces, componentOf, members, imports, digests);
  }

  /** The component `file` belongs to; undefined for a file outside the graph. */
  componentOf(file: string): number | undefined {
    return this.componentOfFile.get(file);
  }

  /** The component's Merkle digest: it changes exactly when the interface of a file it reaches changes. */
  digest(component: number): string {
    return this.digests[component]!;
  }

  /**
   * A check that a component's digest still holds: every file in it, and in every component it reaches, still
   * has the content hash it had when the digest was made (stricter than its interface). Asked for many
   * components, it reads each file at most once (through `current`) and decides each component once, in
   * dependency order: O(files + imports) in all.
   */
  unchangedCheck(current: CurrentHash): (component: number) => Promise<boolean> {
    const decided: boolean[] = [];
    return async (component) => {
      const undecided: number[] = [];
      const seen = new Set<number>();
      const queue = [component];
      while (queue.length > 0) {
        const next = queue.pop()!;
        if (decided[next] !== undefined || seen.has(next)) continue;
        seen.add(next);
        undecided.push(next);
        for (const target of this.imports[next]!) queue.push(target);
      }
      const membersUnchanged = await Promise.all(
        undecided.map(async (index) => {
          const now = await Promise.all(this.members[index]!.map((file) => current(file)));
          return this.members[index]!.every((file, position) => now[position] === this.hashes.get(file));
        }),
      );
      // A component's imports have lower numbers: deciding in ascending order decides them first.
      const order = undecided.map((index, position) => [index, membersUnchanged[position]!] as const).sort(([a], [b]) => a - b);
      for (const [index, unchanged] of order) decided[index] = unchanged && this.imports[index]!.every((target) => decided[target]);
      return decided[component]!;
    };
  }
}
