// Shared pieces for the coordination tests: an ensemble on a fresh Simulation and a small client actor.
import { Simulation, type SimulationOptions } from "../../../sim/simulation.ts";
import type { Actor, NodeContext, NodeId } from "../../../sim/types.ts";
import type { Result, SessionState, WatchEvent } from "../../../systems/coordination/client/api.ts";
import { ZkClient, type ZkClientOptions } from "../../../systems/coordination/client/client.ts";
import { ensembleConfig, type EnsembleConfig } from "../../../systems/coordination/config.ts";
import { addEnsemble, establishedLeader, inspectEnsemble } from "../../../systems/coordination/ensemble.ts";
import type { ZkServer } from "../../../systems/coordination/server/server.ts";

export const SERVERS3 = ["zk1", "zk2", "zk3"];
export const SERVERS5 = ["zk1", "zk2", "zk3", "zk4", "zk5"];

/** Hosts one ZkClient and records what it hears. */
export class ClientActor implements Actor {
  ctx!: NodeContext;
  client!: ZkClient;
  readonly events: WatchEvent[] = [];
  readonly states: SessionState[] = [];
  /** Everything that reached this actor in order: watch events and replies, for ordering checks. */
  readonly seen: string[] = [];

  constructor(private readonly options: ZkClientOptions, private readonly onStart?: (actor: ClientActor) => void) {}

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    this.client = new ZkClient(ctx, this.options);
    this.client.onWatch = (event) => {
      this.events.push(event);
      this.seen.push(`watch ${event.type} ${event.path}`);
    };
    this.client.onSessionState = (state) => this.states.push(state);
    this.onStart?.(this);
  }

  receive(from: NodeId, message: unknown): void {
    this.client.receive(from, message);
  }

  timer(tag: string): void {
    this.client.timer(tag);
  }

  connection(peer: NodeId, state: "open" | "broken"): void {
    this.client.connection(peer, state);
  }
}

export interface Ensemble {
  sim: Simulation;
  config: EnsembleConfig;
  servers: NodeId[];
  server(id: NodeId): ZkServer | undefined;
  client(id: NodeId): ClientActor;
  leader(): NodeId | null;
  views(): ReturnType<typeof inspectEnsemble>;
}

export function makeEnsemble(options: {
  seed: number;
  servers?: NodeId[];
  config?: Partial<EnsembleConfig>;
  sim?: Partial<SimulationOptions>;
}): Ensemble {
  const sim = new Simulation({ seed: options.seed, ...options.sim });
  const config = ensembleConfig(options.servers ?? SERVERS3, options.config);
  const { servers } = addEnsemble(sim, config);
  return {
    sim, config, servers,
    server: (id) => sim.actorOf<ZkServer>(id),
    client: (id) => sim.actorOf<ClientActor>(id)!,
    leader: () => establishedLeader(sim, servers),
    views: () => inspectEnsemble(sim, servers),
  };
}

export function clientOptions(servers: NodeId[], overrides: Partial<ZkClientOptions> = {}): ZkClientOptions {
  return { servers, sessionTimeoutMs: 200, requestTimeoutMs: 150, readMode: "linearizable", ...overrides };
}

/** Issues operations one after another (the next as soon as the last completes) and records results. */
export class Sequencer {
  readonly results: Array<{ name: string; result: Result<unknown> }> = [];
  constructor(private readonly actor: ClientActor) {}
  run(steps: Array<[string, (done: (r: Result<unknown>) => void) => void]>, finished?: () => void): void {
    const next = (index: number) => {
      if (index >= steps.length) return finished?.();
      const [name, step] = steps[index]!;
      step((result) => {
        this.results.push({ name, result });
        this.actor.seen.push(`reply ${name} ${result.ok ? "ok" : result.error}`);
        next(index + 1);
      });
    };
    next(0);
  }
}

export const MS = 1_000;
export const SECOND = 1_000_000;

/** Creates znodes `${prefix}0`, `${prefix}1`, … one after another; remembers which were acknowledged. */
export class Writer {
  readonly acked: Array<{ path: string; atUs: number }> = [];
  readonly failed: Array<{ path: string; error: string; atUs: number }> = [];
  stopped = false;
  private n = 0;
  constructor(private readonly actor: ClientActor, private readonly prefix: string, private readonly nowUs: () => number) {}
  start(): void {
    const next = () => {
      if (this.stopped || this.actor.client.state === "expired") return;
      const path = `${this.prefix}${this.n++}`;
      this.actor.client.create(path, "v", "persistent", (result) => {
        if (result.ok) this.acked.push({ path, atUs: this.nowUs() });
        else this.failed.push({ path, error: result.error, atUs: this.nowUs() });
        next();
      });
    };
    next();
  }
}

/** A client actor that starts a Writer once its session is connected. */
export function addWriter(zk: Ensemble, clientId: NodeId, prefix: string, options: Partial<ZkClientOptions> = {}): () => Writer {
  let writer: Writer | undefined;
  zk.sim.addNode(clientId, () => new ClientActor(clientOptions(options.servers ?? zk.servers, options), (actor) => {
    writer = new Writer(actor, prefix, () => zk.sim.nowUs);
    actor.client.onSessionState = (state) => {
      actor.states.push(state);
      if (state === "connected" && writer!.acked.length + writer!.failed.length === 0) writer!.start();
    };
  }));
  return () => writer!;
}
