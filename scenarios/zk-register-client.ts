// A zk-register client: one simulated node hosting a coordination client, issuing its next operation
// as soon as the last completes (read, blind write, or compare-and-set by setData with the version it
// last read), and recording each in the history in the znode model's vocabulary (docs/histories.md).
// Connection loss or a session that expired under a request is an unknown outcome: `info`.
import type { Actor, NodeContext, NodeId, Random } from "../sim/types.ts";
import type { ReadMode, Result, Stat, ZkClientApi } from "../systems/coordination/index.ts";
import type { ClientFactory } from "../systems/coordination/index.ts";
import type { ClientRecorder } from "./history-recorder.ts";

export interface OperationMix {
  read: number;
  write: number;
  cas: number;
}

export interface RegisterClientConfig {
  servers: NodeId[];
  paths: readonly string[];
  mix: OperationMix;
  readMode: ReadMode;
  sessionTimeoutMs: number;
  requestTimeoutMs: number;
  /** A client pauses after this many operations (keeps histories checkable) until the harness
   *  raises its budget (at the heal, so that progress after the heal can be seen). */
  operationsMax: number;
  /** Waits this long before retrying when a session is being re-established. */
  retryUs: number;
}

const DEFINITE_FAILURES = new Set(["no-node", "node-exists", "bad-version", "not-empty"]);
const RETRY_TIMER = "workload:retry";

type Kind = "create" | "get" | "set";

export class RegisterClient implements Actor<unknown> {
  private ctx!: NodeContext<unknown>;
  private rng!: Random;
  private client!: ZkClientApi;
  private sessionGeneration = 0;
  private operations = 0;
  private writes = 0;
  /** Paths still to create before the workload starts. */
  private setup: string[] = [];
  private readonly versionSeen = new Map<string, number>();
  private inFlight = false;
  /** The operation in flight (or last completed), which its completion records. */
  private inFlightKind: Kind = "create";
  private inFlightPath = "";
  /** Every request of the current session completes through this one callback (see newSession). */
  private completion: (result: Result<unknown>) => void = () => {};
  private readonly readOptions: { mode: ReadMode };
  /** Raised by the harness (a workload generator's decision, not a message). */
  operationsBudget: number;

  constructor(
    private readonly config: RegisterClientConfig,
    private readonly makeClient: ClientFactory,
    private readonly recorder: ClientRecorder,
  ) {
    this.operationsBudget = config.operationsMax;
    this.readOptions = { mode: config.readMode };
  }

  get operationsDone(): number {
    return this.operations;
  }

  start(ctx: NodeContext<unknown>): void {
    this.ctx = ctx;
    this.rng = ctx.rng.fork("workload");
    this.setup = [...this.config.paths];
    this.newSession();
  }

  receive(from: NodeId, message: unknown): void {
    this.client.receive(from, message);
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    this.client.connection(peer, state);
  }

  timer(tag: string): void {
    if (this.client.timer(tag)) return;
    if (tag === RETRY_TIMER) this.next();
  }

  private newSession(): void {
    // Bump first: closing fails the old session's request at once, and its callback must see it gone.
    const generation = ++this.sessionGeneration;
    if (this.inFlight) {
      this.inFlight = false;
      this.recorder.info("session-expired");
    }
    this.client?.close();
    this.client = this.makeClient(this.ctx, {
      servers: this.config.servers,
      sessionTimeoutMs: this.config.sessionTimeoutMs,
      requestTimeoutMs: this.config.requestTimeoutMs,
      readMode: this.config.readMode,
      incarnation: generation,
    });
    // One callback per session rather than a closure or two per operation: the operation's kind and
    // path are fields, since only one is ever in flight.
    this.completion = (result) => {
      if (generation === this.sessionGeneration && this.inFlight) this.complete(result);
    };
    this.client.onWatch = () => {};
    this.client.onSessionState = (state) => {
      if (generation !== this.sessionGeneration) return;
      if (state === "expired") {
        this.newSession();
        this.next();
      }
      else if (state === "connected" && !this.inFlight) this.next();
    };
  }

  /** Issues the next operation, if the session is up and the budget allows. */
  private next(): void {
    if (this.inFlight) return;
    if (this.client.state !== "connected" || this.operations >= this.operationsBudget) {
      this.ctx.setTimer(RETRY_TIMER, this.config.retryUs);
      return;
    }
    this.operations++;
    const path = this.setup.shift();
    if (path !== undefined) this.create(path);
    else this.issue(this.rng.pick(this.config.paths));
  }

  private create(path: string): void {
    this.begin("create", path, { path, data: "" });
    this.client.create(path, "", "persistent", this.completion);
  }

  private issue(path: string): void {
    const { read, write } = this.config.mix;
    const total = read + write + this.config.mix.cas;
    const draw = this.rng.float() * total;
    if (draw < read) {
      this.begin("get", path, { path });
      this.client.getData(path, this.readOptions, this.completion);
      return;
    }
    const version = draw < read + write ? -1 : (this.versionSeen.get(path) ?? 0);
    const data = `${this.ctx.nodeId}:${++this.writes}`;
    this.begin("set", path, { path, data, version });
    this.client.setData(path, data, version, this.completion);
  }

  private begin(kind: Kind, path: string, value: unknown): void {
    this.inFlight = true;
    this.inFlightKind = kind;
    this.inFlightPath = path;
    this.recorder.invoke(kind, value);
  }

  /** Records the outcome, then goes on (in a fresh session if this one expired). */
  private complete(result: Result<unknown>): void {
    this.inFlight = false;
    if (result.ok) this.recorder.ok(this.okValue(result.value));
    else if (DEFINITE_FAILURES.has(result.error)) this.recorder.fail(result.error);
    else {
      this.recorder.info(result.error);
      // An unknown outcome leaves the path maybe missing: create it again (node-exists is a fine answer).
      if (this.inFlightKind === "create") this.setup.push(this.inFlightPath);
    }
    if (!result.ok && result.error === "session-expired") this.newSession();
    this.next();
  }

  /** What the history records of a successful operation; a read or write also notes the version. */
  private okValue(value: unknown): unknown {
    const path = this.inFlightPath;
    switch (this.inFlightKind) {
      case "create": return { path: (value as { path: string }).path };
      case "get": {
        const { data, stat } = value as { data: string; stat: Stat };
        this.versionSeen.set(path, stat.version);
        return { data, version: stat.version };
      }
      case "set": {
        const stat = value as Stat;
        this.versionSeen.set(path, stat.version);
        return { version: stat.version };
      }
    }
  }
}
