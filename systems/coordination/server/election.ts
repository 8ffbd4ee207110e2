// Fast-leader-election style voting. LOOKING servers exchange votes for (epoch, last zxid, server) and
// adopt the best; a quorum of equal votes elects, after a short wait for a better vote to show up.
// Servers already FOLLOWING or LEADING answer with their leader, so a returning server joins it.
import type { NodeContext, NodeId } from "../../../sim/types.ts";
import type { EnsembleConfig } from "../config.ts";
import { quorumSize } from "../config.ts";
import type { Notification, PeerState, Vote } from "../messages.ts";

export interface ElectionHost {
  readonly ctx: NodeContext;
  readonly config: EnsembleConfig;
  /** This server's own vote: itself, its last logged zxid, its currentEpoch. */
  selfVote(): Vote;
  /** The server's state when it is not looking (following or leading). */
  peerState(): PeerState;
  decided(leader: NodeId): void;
}

export const RESEND_TIMER = "zk.election.resend";
export const FINALIZE_TIMER = "zk.election.finalize";

export class Election {
  /** FastLeaderElection's logical clock: the election round. Kept in memory only, as ZooKeeper does. */
  round = 0;
  /** While looking: the vote proposed; otherwise: the leader decided. */
  vote: Vote;
  private looking = false;
  private finalizePending = false;
  private readonly received = new Map<NodeId, Vote>();
  private readonly outOfElection = new Map<NodeId, Notification>();
  private readonly rank: Map<NodeId, number>;

  constructor(private readonly host: ElectionHost) {
    this.rank = new Map(host.config.servers.map((id, index) => [id, index]));
    this.vote = host.selfVote();
  }

  start(): void {
    this.looking = true;
    this.round++;
    this.received.clear();
    this.outOfElection.clear();
    this.vote = this.host.selfVote();
    this.received.set(this.host.ctx.nodeId, this.vote);
    this.broadcast();
  }

  stop(): void {
    this.looking = false;
    this.finalizePending = false;
    this.host.ctx.cancelTimer(RESEND_TIMER);
    this.host.ctx.cancelTimer(FINALIZE_TIMER);
  }

  receive(from: NodeId, notification: Notification): void {
    if (!this.rank.has(from)) return; // not a member of the ensemble
    if (!this.looking) {
      // Tell a looking peer who leads, so it can join without a new election.
      if (notification.state === "looking") this.sendTo(from, this.host.peerState());
      return;
    }
    if (notification.state === "looking") this.receiveLooking(from, notification);
    else this.receiveDecided(from, notification);
  }

  timer(tag: string): boolean {
    if (tag === RESEND_TIMER) {
      if (this.looking) this.broadcast();
      return true;
    }
    if (tag === FINALIZE_TIMER) {
      this.finalizePending = false;
      if (this.looking && this.hasQuorumFor(this.vote)) this.decide(this.vote.leader);
      return true;
    }
    return false;
  }

  private receiveLooking(from: NodeId, notification: Notification): void {
    if (notification.round > this.round) {
      this.round = notification.round;
      this.received.clear();
      const self = this.host.selfVote();
      this.vote = this.better(notification.vote, self) ? notification.vote : self;
      this.received.set(this.host.ctx.nodeId, this.vote);
      this.broadcast();
    } else if (notification.round < this.round) {
      this.sendTo(from, "looking"); // help it catch up with the current round
      return;
    } else if (this.better(notification.vote, this.vote)) {
      this.vote = notification.vote;
      this.received.set(this.host.ctx.nodeId, this.vote);
      this.broadcast();
    }
    this.received.set(from, notification.vote);
    if (!this.finalizePending && this.hasQuorumFor(this.vote)) {
      this.finalizePending = true;
      this.host.ctx.setTimer(FINALIZE_TIMER, this.host.config.electionFinalizeUs);
    }
  }

  /** A peer that follows or leads: join its leader once a quorum (us included) backs it and it says it leads. */
  private receiveDecided(from: NodeId, notification: Notification): void {
    this.outOfElection.set(from, notification);
    const leader = notification.vote.leader;
    if (leader === this.host.ctx.nodeId) return;
    if (this.outOfElection.get(leader)?.state !== "leading") return;
    let backers = 1;
    for (const other of this.outOfElection.values()) if (other.vote.leader === leader) backers++;
    if (backers < quorumSize(this.host.config)) return;
    this.round = Math.max(this.round, notification.round);
    this.vote = notification.vote;
    this.decide(leader);
  }

  private decide(leader: NodeId): void {
    this.stop();
    this.host.decided(leader);
  }

  private hasQuorumFor(vote: Vote): boolean {
    let count = 0;
    for (const other of this.received.values()) {
      if (other.leader === vote.leader && other.zxid === vote.zxid && other.epoch === vote.epoch) count++;
    }
    return count >= quorumSize(this.host.config);
  }

  /** Total order on votes: epoch, then last zxid, then server rank. */
  private better(a: Vote, b: Vote): boolean {
    if (a.epoch !== b.epoch) return a.epoch > b.epoch;
    if (a.zxid !== b.zxid) return a.zxid > b.zxid;
    return (this.rank.get(a.leader) ?? -1) > (this.rank.get(b.leader) ?? -1);
  }

  private broadcast(): void {
    const message: Notification = { type: "e.vote", round: this.round, vote: this.vote, state: "looking" };
    for (const peer of this.host.config.servers) if (peer !== this.host.ctx.nodeId) this.host.ctx.send(peer, message);
    this.host.ctx.setTimer(RESEND_TIMER, this.host.config.electionResendUs);
  }

  private sendTo(peer: NodeId, state: PeerState): void {
    const message: Notification = { type: "e.vote", round: this.round, vote: this.vote, state };
    this.host.ctx.send(peer, message);
  }
}
