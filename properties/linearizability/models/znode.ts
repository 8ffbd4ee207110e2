// ZooKeeper znodes (docs/histories.md, "znode"): create, delete, set, get and exists, with ZooKeeper's version
// rules — a new znode has version 0, each successful set adds 1, a deleted and re-created znode starts at 0
// again; delete and set take an expected version (-1 = any). A `fail` with ZooKeeper's error is an
// observation (no-node, node-exists, bad-version, not-empty); a fail with any other error did not happen.
// Written from ZooKeeper's documented semantics, apart from the server's tree (docs/layout.md).
//
// Checked per path, except that a path is grouped with its parent when the parent is itself created or
// deleted in the history (a create then depends on the parent existing, a delete on it having no
// children). Paths that the history never creates or deletes keep their initial existence throughout.
// State: the canonical JSON of {path: [data, version]} for the group's znodes plus the fixed ones it reads.
import { HistoryError } from "../../history/index.ts";
import type { Operation } from "../../history/index.ts";
import type { LinearizabilityModel, PartitionPlan } from "../model.ts";
import { narrowZnodes } from "./znode-narrow.ts";
import type { ZnodeInput } from "./znode-input.ts";
import { badValue, canonical, componentsByKeys, hashString, isRecord, shortJson } from "./values.ts";

export type { ZnodeInput };

type Znode = [data: string, version: number];
type Tree = Record<string, Znode>;
type State = string;

const errorsOf: Record<string, readonly string[]> = {
  create: ["node-exists", "no-node"],
  delete: ["no-node", "bad-version", "not-empty"],
  set: ["no-node", "bad-version"],
  get: ["no-node"],
  exists: [],
};

export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

function field(op: Operation, name: string, kind: "string" | "integer"): string | number {
  const value = isRecord(op.value) ? op.value[name] : undefined;
  if (kind === "string" && typeof value === "string" && value.startsWith("/")) return value;
  if (kind === "integer" && Number.isInteger(value)) return value as number;
  throw badValue(op, `an object with "${name}" (${kind === "string" ? "a path" : "an integer"})`);
}

function versionOf(op: Operation): number {
  return field(op, "version", "integer") as number;
}

function data(op: Operation): string {
  return canonical(isRecord(op.value) ? op.value.data : null);
}

/** The outcome a completion reports, or null when it proves nothing (fail with another error, info read). */
function outcomeOf(invoke: Operation, completion: Operation): string | null {
  if (completion.type === "ok" || completion.type === "info") return "ok";
  const error = completion.error ?? "";
  return errorsOf[invoke.f]!.includes(error) ? error : null;
}

function prepareZnode(invoke: Operation, completion: Operation): ZnodeInput | null {
  const outcome = outcomeOf(invoke, completion);
  if (outcome === null) return null;
  const path = field(invoke, "path", "string") as string;
  const info = completion.type === "info";
  switch (invoke.f) {
    case "create": {
      const created = completion.type === "ok" && isRecord(completion.value) ? completion.value.path : undefined;
      if (info && invoke.value && isRecord(invoke.value) && String(invoke.value.mode ?? "").includes("sequential")) return null;
      return { f: "create", path: typeof created === "string" ? created : path, data: data(invoke), outcome } as ZnodeInput;
    }
    case "delete":
      return { f: "delete", path, version: versionOf(invoke), outcome } as ZnodeInput;
    case "set": {
      const newVersion = completion.type === "ok" ? versionOf(completion) : null;
      return { f: "set", path, data: data(invoke), version: versionOf(invoke), outcome, newVersion } as ZnodeInput;
    }
    case "get":
      if (info) return null;
      if (outcome !== "ok") return { f: "get", path, outcome: "no-node", data: "null", version: -1 };
      return { f: "get", path, outcome: "ok", data: data(completion), version: versionOf(completion) };
    case "exists":
      if (completion.type !== "ok") return null;
      return { f: "exists", path, version: completion.value === null ? null : versionOf(completion) };
  }
  return null;
}

const legal = (tree: Tree) => ({ ok: true as const, next: canonical(tree) });
// States are canonical JSON, so a step that leaves the tree as it was (a read, a failed write) may answer
// with the state itself rather than serialise the same tree again.
const unchanged = (state: State) => ({ ok: true as const, next: state });
const illegal = (why: string) => ({ ok: false as const, why });

function exists(tree: Tree, path: string): boolean {
  return path === "/" || tree[path] !== undefined;
}

function hasChildren(tree: Tree, path: string): boolean {
  const prefix = path === "/" ? "/" : `${path}/`;
  return Object.keys(tree).some((other) => other.startsWith(prefix));
}

function stepCreate(state: State, tree: Tree, input: Extract<ZnodeInput, { f: "create" }>) {
  const taken = exists(tree, input.path);
  const parentThere = exists(tree, parentOf(input.path));
  if (input.outcome === "node-exists") return taken ? unchanged(state) : illegal(`create failed node-exists, but ${input.path} is absent`);
  if (input.outcome === "no-node") return parentThere ? illegal(`create failed no-node, but ${parentOf(input.path)} exists`) : unchanged(state);
  if (taken) return illegal(`create ${input.path}, but it exists`);
  if (!parentThere) return illegal(`create ${input.path}, but its parent is absent`);
  tree[input.path] = [input.data, 0];
  return legal(tree);
}

function stepDelete(state: State, tree: Tree, input: Extract<ZnodeInput, { f: "delete" }>) {
  const node = tree[input.path];
  // ZooKeeper checks existence, then version, then children (PrepRequestProcessor), so each error
  // also tells what passed before it.
  if (input.outcome === "no-node") return node ? illegal(`delete failed no-node, but ${input.path} exists`) : unchanged(state);
  if (!node) return illegal(`delete ${input.path} (${input.outcome}), but it is absent`);
  const versionMatches = input.version === -1 || input.version === node[1];
  if (input.outcome === "bad-version") return versionMatches ? illegal(`delete failed bad-version, but the version is ${node[1]}`) : unchanged(state);
  if (!versionMatches) return illegal(`delete version ${input.version}, but the version is ${node[1]}`);
  const children = hasChildren(tree, input.path);
  if (input.outcome === "not-empty") return children ? unchanged(state) : illegal(`delete failed not-empty, but ${input.path} has no children`);
  if (children) return illegal(`delete ${input.path}, but it has children`);
  delete tree[input.path];
  return legal(tree);
}

function stepSet(state: State, tree: Tree, input: Extract<ZnodeInput, { f: "set" }>) {
  const node = tree[input.path];
  if (input.outcome === "no-node") return node ? illegal(`set failed no-node, but ${input.path} exists`) : unchanged(state);
  if (!node) return illegal(`set ${input.path} (${input.outcome}), but it is absent`);
  const versionMatches = input.version === -1 || input.version === node[1];
  if (input.outcome === "bad-version") return versionMatches ? illegal(`set failed bad-version, but the version is ${node[1]}`) : unchanged(state);
  if (!versionMatches) return illegal(`set version ${input.version}, but the version is ${node[1]}`);
  if (input.newVersion !== null && input.newVersion !== node[1] + 1) {
    return illegal(`set returned version ${input.newVersion}, but the version becomes ${node[1] + 1}`);
  }
  if (input.returnedVersions?.has(node[1] + 1)) return illegal(`a completed set returned version ${node[1] + 1}; this one cannot make it`);
  tree[input.path] = [input.data, node[1] + 1];
  return legal(tree);
}

/** Built only for a verdict's reason: reads are most of the steps. */
function seen(node: Znode | undefined): string {
  return node ? `${node[0]} v${node[1]}` : "absent";
}

function stepRead(state: State, tree: Tree, input: Extract<ZnodeInput, { f: "get" | "exists" }>) {
  const node = tree[input.path];
  if (input.f === "exists") {
    const ok = input.version === null ? !node : node !== undefined && node[1] === input.version;
    return ok ? unchanged(state) : illegal(`exists → ${input.version === null ? "absent" : `v${input.version}`}, but ${input.path} is ${seen(node)}`);
  }
  if (input.outcome === "no-node") return node ? illegal(`get failed no-node, but ${input.path} is ${seen(node)}`) : unchanged(state);
  const ok = node !== undefined && node[0] === input.data && node[1] === input.version;
  return ok ? unchanged(state) : illegal(`get → ${input.data} v${input.version}, but ${input.path} is ${seen(node)}`);
}

function stepZnode(state: State, input: ZnodeInput) {
  const tree = JSON.parse(state) as Tree;
  switch (input.f) {
    case "create":
      return stepCreate(state, tree, input);
    case "delete":
      return stepDelete(state, tree, input);
    case "set":
      return stepSet(state, tree, input);
    default:
      return stepRead(state, tree, input);
  }
}

function initialFrom(json: unknown): Tree {
  if (json === null) return {};
  if (!isRecord(json)) throw new HistoryError(`--initial for znode must be an object {path: data or {data, version}}, got ${shortJson(json)}`);
  const tree: Tree = {};
  for (const [path, node] of Object.entries(json)) {
    if (!path.startsWith("/")) throw new HistoryError(`--initial for znode: "${path}" is not a path`);
    if (path === "/") continue;
    const version = isRecord(node) ? (node.version ?? 0) : 0;
    if (!Number.isInteger(version)) throw new HistoryError(`--initial for znode: ${path} has a non-integer version`);
    tree[path] = [canonical(isRecord(node) ? (node.data ?? null) : node), version as number];
  }
  return tree;
}

function partitionZnodes(calls: readonly { input: ZnodeInput }[], initial: Tree): PartitionPlan<State>[] {
  const varying = new Set<string>();
  for (const { input } of calls) if (input.f === "create" || input.f === "delete") varying.add(input.path);
  const keysOf = (path: string) => (varying.has(parentOf(path)) ? [path, parentOf(path)] : [path]);
  return componentsByKeys(calls.map((call) => keysOf(call.input.path))).map(({ keys, members }) => {
    // The group's own znodes, the parents its creates need and the children its deletes meet.
    const own = new Set(keys);
    const parents = new Set(keys.map(parentOf));
    const tree: Tree = {};
    for (const [path, node] of Object.entries(initial)) {
      if (own.has(path) || parents.has(path) || own.has(parentOf(path))) tree[path] = node;
    }
    return { key: keys.length === 1 ? `path ${keys[0]}` : `paths ${keys.join(",")}`, members, initial: canonical(tree) };
  });
}

function describeZnode(input: ZnodeInput): string {
  const failed = "outcome" in input && input.outcome !== "ok" ? ` → ${input.outcome}` : "";
  switch (input.f) {
    case "create":
      return `create ${input.path} ${input.data}${failed}`;
    case "delete":
      return `delete ${input.path} v${input.version}${failed}`;
    case "set":
      return `set ${input.path} ${input.written ?? input.data} v${input.version}${failed || (input.newVersion === null ? "" : ` → v${input.newVersion}`)}`;
    case "get":
      return `get ${input.path}${failed || ` → ${input.data} v${input.version}`}`;
    case "exists":
      return `exists ${input.path} → ${input.version === null ? "absent" : `v${input.version}`}`;
  }
}

export const znodeModel: LinearizabilityModel<State, ZnodeInput, null, Tree> = {
  name: "znode",
  fs: ["create", "delete", "set", "get", "exists"],
  init: () => ({}),
  initialFrom,
  prepare(invoke, completion) {
    const input = prepareZnode(invoke, completion);
    return input === null ? null : { input, output: null };
  },
  step: stepZnode,
  equal: (a, b) => a === b,
  hash: hashString,
  partition: partitionZnodes,
  narrow: narrowZnodes,
  effectKey: ({ written: _written, returnedVersions: _returned, ...input }: ZnodeInput & { written?: string; returnedVersions?: unknown }) => canonical(input),
  describeOperation: (input) => describeZnode(input),
  describeState: (state) => {
    const nodes = Object.entries(JSON.parse(state) as Tree).map(([path, [data, version]]) => `${path} = ${data} v${version}`);
    return nodes.length === 0 ? "(no znodes)" : nodes.join("; ");
  },
};
