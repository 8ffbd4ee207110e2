// The house's layout, enforced: no import cycles among our source files, and no
// import that runs up the table — the kernel knows nothing of the systems, the checkers nothing of
// the servers they judge, the log nothing of the ensemble but its client. Type-only imports count:
// a cycle of types is still two files that cannot be understood (or moved) one without the other.
// And each property family, and the ensemble, has a front door: code outside the folder imports its index.ts.
import test from "ava";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SKIPPED = new Set(["node_modules", "test", "out", ".git", "build"]);

/** Our source files, as paths relative to the root with forward slashes. */
function sourceFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || (dir === ROOT && SKIPPED.has(name))) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|js)$/.test(name) && !name.endsWith(".d.ts")) files.push(relative(ROOT, path).split("\\").join("/"));
  }
  return files;
}

/** Every module specifier in a file: static imports and re-exports (type-only too), dynamic imports. */
function specifiersOf(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of withoutComments.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Our file a specifier names, or undefined for a package (the package's own name is index.ts). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (specifier === "faultline") return "index.ts";
  if (!specifier.startsWith(".")) return undefined;
  const target = relative(ROOT, resolve(ROOT, dirname(from), specifier)).split("\\").join("/");
  return existsSync(join(ROOT, target)) ? target : undefined; // a missing file is tsc's to report
}


function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles()) {
    const targets = specifiersOf(readFileSync(join(ROOT, file), "utf8"))
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** Each cycle once, as the files on it (Tarjan's strongly connected components of size > 1, or a self-import). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) { visit(next); low.set(node, Math.min(low.get(node)!, low.get(next)!)); }
      else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do { member = stack.pop()!; onStack.delete(member); component.push(member); } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** The log may use the ensemble only as any client would: the client library and its contract. */
const COORDINATION_CLIENT = /^systems\/coordination\/client\//;

/** Where a file sits in the layout table (its folder; systems/ counts per system). */
function layerOf(file: string): string {
  if (file.startsWith("systems/coordination/")) return "systems/coordination";
  if (file.startsWith("systems/log/")) return "systems/log";
  const top = file.split("/")[0]!;
  return file.includes("/") ? top : "root";
}

/** What each layer may import besides itself: the layout table (sim/ at the bottom; cli/ and bench/
 *  at the top). `root` is index.ts, the package's exports. */
const MAY_IMPORT: Record<string, (target: string) => boolean> = {
  "sim": () => false,
  "systems/coordination": (target) => target.startsWith("sim/"),
  "systems/log": (target) => target.startsWith("sim/") || COORDINATION_CLIENT.test(target),
  "properties": () => false,
  // reports/ imports only properties/, so a scenario that writes a failure's report makes no cycle.
  "scenarios": (target) => /^(sim|systems|properties|reports)\//.test(target),
  "reports": (target) => target.startsWith("properties/"),
  "cli": (target) => !/^(bench|examples|bin)\//.test(target),
  "bench": (target) => !/^(cli|examples|bin)\//.test(target),
  "examples": (target) => target === "index.ts",
  "root": (target) => !/^(bench|examples)\//.test(target),
  "bin": (target) => target.startsWith("cli/"),
};

function layoutViolations(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const violations: string[] = [];
  for (const [from, targets] of graph) {
    const layer = layerOf(from);
    const allowed = MAY_IMPORT[layer];
    for (const to of targets) {
      if (layerOf(to) === layer && layer !== "examples") continue;
      if (layer === "examples" && to.split("/")[1] === from.split("/")[1]) continue; // within one example
      if (allowed === undefined) violations.push(`${from}: in no layer of the table (imports ${to})`);
      else if (!allowed(to)) violations.push(`${from} imports ${to}: ${layer}/ may not import ${layerOf(to)}/`);
    }
  }
  return violations.sort();
}

/** Folders that other folders enter only through a front door: the folder's index.ts, and for the ensemble
 *  also client/index.ts (the door for code that uses it as a client). Inside a folder, files import each other. */
const DOORS: Record<string, readonly string[]> = {
  "properties/history/": ["index.ts"],
  "properties/linearizability/": ["index.ts"],
  "properties/log/": ["index.ts"],
  "properties/master/": ["index.ts"],
  "systems/coordination/": ["index.ts", "client/index.ts"],
};

function doorViolations(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const violations: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const folder = Object.keys(DOORS).find((prefix) => to.startsWith(prefix));
      if (folder === undefined || from.startsWith(folder)) continue;
      const doors = DOORS[folder]!.map((door) => folder + door);
      if (!doors.includes(to)) violations.push(`${from} imports ${to}: from outside ${folder}, import ${doors.join(" or ")}`);
    }
  }
  return violations.sort();
}

test("layout: the scan sees the project's files and their imports", (t) => {
  const graph = importGraph();
  t.true(graph.size > 100, `only ${graph.size} files`);
  t.true(graph.get("sim/simulation.ts")!.includes("sim/event-queue.ts"));
  t.true(graph.get("bin/faultline.js")!.includes("cli/main.ts"), "dynamic imports are followed");
  t.true(graph.get("properties/log/checks.ts")!.includes("properties/history/index.ts"));
  for (const [folder, doors] of Object.entries(DOORS)) for (const door of doors) t.true(graph.has(folder + door), `${folder}${door} is missing`);
  t.true([...graph.keys()].every((file) => !file.startsWith("test/") && !file.startsWith("node_modules/")));
});

test("layout: no import cycles among the project's files", (t) => {
  t.deepEqual(cyclesOf(importGraph()).map((cycle) => cycle.join(" ↔ ")), []);
});

test("layout: every import points down the layout table", (t) => {
  t.deepEqual(layoutViolations(importGraph()), []);
});

test("layout: other folders enter a property family, or the ensemble, through its index.ts", (t) => {
  t.deepEqual(doorViolations(importGraph()), []);
});

test("layout: the checks catch a cycle, a type-only import up the table, the log reaching into the ensemble, and a folder entered past its door", (t) => {
  t.deepEqual(specifiersOf(`import type {\n  A,\n  B,\n} from "./a.ts";\nexport * from "./b.ts";\nimport "./c.ts";\nconst d = await import("./d.ts");\n// import "./e.ts";`),
    ["./a.ts", "./b.ts", "./c.ts", "./d.ts"]);
  const cyclic = new Map([["a.ts", ["b.ts"]], ["b.ts", ["c.ts"]], ["c.ts", ["a.ts"]], ["d.ts", ["a.ts"]], ["e.ts", ["e.ts"]]]);
  t.deepEqual(cyclesOf(cyclic), [["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
  const upward = new Map([
    ["properties/history/operation.ts", ["systems/coordination/state/tree.ts", "properties/result.ts"]],
    ["sim/context.ts", ["scenarios/types.ts"]],
    ["systems/log/broker.ts", ["systems/coordination/client/index.ts", "systems/coordination/index.ts", "systems/coordination/state/tree.ts"]],
    ["systems/coordination/server/server.ts", ["systems/log/broker.ts"]],
    ["reports/summary.ts", ["scenarios/runner.ts"]],
  ]);
  t.deepEqual(layoutViolations(upward), [
    "properties/history/operation.ts imports systems/coordination/state/tree.ts: properties/ may not import systems/coordination/",
    "reports/summary.ts imports scenarios/runner.ts: reports/ may not import scenarios/",
    "sim/context.ts imports scenarios/types.ts: sim/ may not import scenarios/",
    "systems/coordination/server/server.ts imports systems/log/broker.ts: systems/coordination/ may not import systems/log/",
    "systems/log/broker.ts imports systems/coordination/index.ts: systems/log/ may not import systems/coordination/",
    "systems/log/broker.ts imports systems/coordination/state/tree.ts: systems/log/ may not import systems/coordination/",
  ]);
  const sideways = new Map([
    ["properties/log/values.ts", ["properties/history/fields.ts", "properties/history/index.ts", "properties/log/history.ts", "properties/result.ts"]],
    ["properties/linearizability/models/kv.ts", ["properties/history/index.ts", "properties/linearizability/model.ts"]],
    ["scenarios/zk-master.ts", ["properties/master/checks.ts", "systems/coordination/index.ts", "systems/coordination/recipes/election.ts"]],
    ["cli/check.ts", ["properties/linearizability/models/index.ts", "properties/log/index.ts"]],
    ["systems/log/broker.ts", ["systems/coordination/client/index.ts", "systems/coordination/client/api.ts"]],
  ]);
  t.deepEqual(doorViolations(sideways), [
    "cli/check.ts imports properties/linearizability/models/index.ts: from outside properties/linearizability/, import properties/linearizability/index.ts",
    "properties/log/values.ts imports properties/history/fields.ts: from outside properties/history/, import properties/history/index.ts",
    "scenarios/zk-master.ts imports properties/master/checks.ts: from outside properties/master/, import properties/master/index.ts",
    "scenarios/zk-master.ts imports systems/coordination/recipes/election.ts: from outside systems/coordination/, import systems/coordination/index.ts or systems/coordination/client/index.ts",
    "systems/log/broker.ts imports systems/coordination/client/api.ts: from outside systems/coordination/, import systems/coordination/index.ts or systems/coordination/client/index.ts",
  ]);
});
