// Import direction, checked by `npm run lint`: each folder of src/ is a stage of the pipeline or a layer below the
// stages, and may import only from the folders listed for it (docs/architecture.md draws them). No cycles anywhere.
/** @type {Record<string, string[]>} folder → the folders it may import from (besides itself) */
const ALLOWED = {
  core: [],
  text: ["core"],
  net: ["core", "text"],
  self: ["core"],
  state: ["core"],
  files: ["core", "text", "state"],
  tools: ["core", "text", "self"],
  toolchain: ["core", "text", "self", "state", "tools"],
  config: ["core", "text", "files", "tools", "toolchain"],
  plan: ["core", "text", "config", "files", "state", "tools", "toolchain"],
  memory: ["core", "text", "net", "self", "state", "files", "tools", "toolchain", "plan", "config"],
  execute: ["core", "text", "self", "tools"],
  backends: ["core", "text", "net", "self", "state", "files", "config", "execute"],
  schedule: ["core", "backends", "plan", "tools"],
  report: ["core", "text", "files", "tools", "plan"],
  // The baseline holds a report's findings against the committed file; commands write it.
  baseline: ["core", "text", "state", "files", "report"],
  hook: ["core", "text", "files", "self"],
  // The scan's stages in order, shared by `jackpool scan` and the daemon.
  pipeline: [
    "core",
    "text",
    "net",
    "self",
    "state",
    "files",
    "tools",
    "toolchain",
    "config",
    "plan",
    "memory",
    "execute",
    "backends",
    "schedule",
    "report",
  ],
  // `jackpool worker`: takes queue tasks for scans on other machines; finds its tools as a scan does.
  worker: ["core", "text", "net", "self", "tools", "toolchain", "config", "plan", "execute", "backends"],
  // The per-project daemon and its client: runs the pipeline ahead of the commit; commands/ use it.
  daemon: ["core", "text", "self", "state", "files", "tools", "config", "plan", "pipeline"],
};

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: the stages no longer flow one way.",
      from: { path: "^(src|workers)/" },
      to: { circular: true },
    },
    ...Object.entries(ALLOWED).map(([folder, allowed]) => ({
      name: `${folder}-imports`,
      severity: "error",
      comment: `src/${folder}/ may import from ${allowed.length ? allowed.map((name) => `src/${name}/`).join(", ") : "nothing else of jackpool's"}.`,
      from: { path: `^src/${folder}/` },
      to: { path: "^src/", pathNot: [`^src/(${[folder, ...allowed].join("|")})/`] },
    })),
    {
      name: "workers-imports",
      severity: "error",
      comment: "A worker thread loads what running one task needs, nothing of the scan around it.",
      from: { path: "^workers/" },
      to: { path: "^src/", pathNot: ["^src/(core|execute|tools|text|self)/", "^src/backends/threads/messages\\.ts$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
