// The group coordinator runs on the leader of the internal offsets partition. Membership (join with
// generations, heartbeats, session timeout) and committed offsets are written to that partition and
// answered only once replicated (below its high watermark), so a new coordinator, loading the log,
// continues the generation numbering and knows every acknowledged commit. Commits from a member of
// an older generation are refused (fencing). The assignment is computed here (range assignment) —
// Kafka delegates it to a member, which changes nothing the properties look at.
import type { NodeContext, NodeId } from "../../sim/types.ts";
import type { LogClusterConfig } from "./config.ts";
import type {
  CommitRequest, HeartbeatRequest, JoinGroupRequest, LeaveGroupRequest, LogError, LogReply, LogRequest, OffsetFetchRequest, StoredRecord,
} from "./messages.ts";
import type { Partition } from "./partition.ts";

export interface CoordinatorHost {
  readonly ctx: NodeContext;
  readonly config: LogClusterConfig;
}

type GroupRecord =
  | { kind: "group"; group: string; generation: number; assignment: Record<string, number[]> }
  | { kind: "commit"; group: string; partition: number; offset: number; generation: number };

interface Member {
  lastHeardUs: number;
  /** A join waiting for the rebalance to complete. */
  joining?: { from: NodeId; id: number };
}

interface Group {
  generation: number;
  state: "empty" | "preparing" | "completing" | "stable";
  members: Map<string, Member>;
  assignment: Map<string, number[]>;
  rebalanceDeadlineUs: number;
  committed: Map<number, number>;
}

export class GroupCoordinator {
  private partition: Partition | undefined;
  private epoch = -1;
  private groups = new Map<string, Group>();

  constructor(private readonly host: CoordinatorHost) {}

  /** This broker leads the offsets partition: load every group from its log. */
  becameLeader(partition: Partition): void {
    this.partition = partition;
    this.epoch = partition.leaderEpoch;
    this.groups = new Map();
    const records = partition.log.read(partition.log.logStartOffset, Number.MAX_SAFE_INTEGER);
    for (const record of records) this.load(record);
  }

  private load(record: StoredRecord): void {
    const value = record.value as GroupRecord;
    const group = this.groupOf(value.group);
    if (value.kind === "group") {
      group.generation = Math.max(group.generation, value.generation);
      group.assignment = new Map(Object.entries(value.assignment));
    } else {
      group.committed.set(value.partition, value.offset);
    }
  }

  private get active(): boolean {
    return this.partition !== undefined && this.partition.role === "leader" && this.partition.leaderEpoch === this.epoch;
  }

  private groupOf(name: string): Group {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { generation: 0, state: "empty", members: new Map(), assignment: new Map(), rebalanceDeadlineUs: 0, committed: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  handle(from: NodeId, message: LogRequest | LogReply): void {
    switch (message.type) {
      case "k.join": return this.join(from, message);
      case "k.heartbeat": return this.heartbeat(from, message);
      case "k.commit": return this.commit(from, message);
      case "k.offset-fetch": return this.offsetFetch(from, message);
      case "k.leave": return this.leave(message);
      default: return;
    }
  }

  private notCoordinator(from: NodeId, type: "k.join-reply" | "k.heartbeat-reply" | "k.commit-reply" | "k.offset-fetch-reply", id: number): void {
    this.host.ctx.send(from, { type, id, error: "not-coordinator" } as LogReply);
  }

  private join(from: NodeId, request: JoinGroupRequest): void {
    if (!this.active) return this.notCoordinator(from, "k.join-reply", request.id);
    const group = this.groupOf(request.group);
    const nowUs = this.host.ctx.now();
    const known = group.members.get(request.member);
    if (group.state === "stable" && known !== undefined && group.assignment.has(request.member)) {
      known.lastHeardUs = nowUs;
      return this.host.ctx.send(from, { type: "k.join-reply", id: request.id, generation: group.generation, partitions: group.assignment.get(request.member)!, unchanged: true });
    }
    group.members.set(request.member, { lastHeardUs: nowUs, joining: { from, id: request.id } });
    if (group.state !== "preparing" && group.state !== "completing") this.prepareRebalance(group, nowUs);
    this.maybeCompleteRebalance(request.group, group);
  }

  private prepareRebalance(group: Group, nowUs: number): void {
    group.state = "preparing";
    group.rebalanceDeadlineUs = nowUs + this.host.config.groupRebalanceTimeoutUs;
  }

  /** Completes once every known member rejoined, or at the deadline without the missing ones. */
  private maybeCompleteRebalance(name: string, group: Group, deadlinePassed = false): void {
    if (group.state !== "preparing") return;
    const members = [...group.members.entries()];
    if (!deadlinePassed && members.some(([, member]) => member.joining === undefined)) return;
    for (const [id, member] of members) if (member.joining === undefined) group.members.delete(id);
    if (group.members.size === 0) {
      group.state = "empty";
      return;
    }
    // Numbers are never reused by this coordinator, even when the write fails.
    const generation = ++group.generation;
    const assignment = rangeAssignment([...group.members.keys()].sort(), this.topicPartitions());
    group.state = "completing";
    this.write({ kind: "group", group: name, generation, assignment: Object.fromEntries(assignment) }, (error) => {
      if (group.state !== "completing") return;
      // A member that joined while the record was being written waits for the next rebalance.
      const joiners = [...group.members.entries()].flatMap(([memberId, member]) => member.joining && assignment.has(memberId) ? [{ memberId, ...member.joining }] : []);
      for (const [memberId, member] of group.members) if (assignment.has(memberId)) member.joining = undefined;
      if (error !== undefined) {
        group.state = "empty";
        group.members.clear();
        for (const joining of joiners) this.host.ctx.send(joining.from, { type: "k.join-reply", id: joining.id, error: "coordinator-not-available" });
        return;
      }
      group.assignment = assignment;
      group.state = "stable";
      const nowUs = this.host.ctx.now();
      for (const member of group.members.values()) member.lastHeardUs = nowUs;
      for (const joining of joiners) {
        this.host.ctx.send(joining.from, { type: "k.join-reply", id: joining.id, generation, partitions: assignment.get(joining.memberId) ?? [] });
      }
      if ([...group.members.keys()].some((memberId) => !assignment.has(memberId))) {
        this.prepareRebalance(group, nowUs);
        this.maybeCompleteRebalance(name, group);
      }
    });
  }

  private topicPartitions(): number[] {
    const topic = this.host.config.topics[0]!;
    return Array.from({ length: topic.partitions }, (_, partition) => partition);
  }

  private heartbeat(from: NodeId, request: HeartbeatRequest): void {
    if (!this.active) return this.notCoordinator(from, "k.heartbeat-reply", request.id);
    const group = this.groupOf(request.group);
    const member = group.members.get(request.member);
    let error: LogError | undefined;
    if (member === undefined) error = "unknown-member";
    else if (group.state === "preparing" || group.state === "completing") error = "rebalance-in-progress";
    else if (request.generation !== group.generation) error = "illegal-generation";
    if (member !== undefined) member.lastHeardUs = this.host.ctx.now();
    this.host.ctx.send(from, error === undefined ? { type: "k.heartbeat-reply", id: request.id } : { type: "k.heartbeat-reply", id: request.id, error });
  }

  private commit(from: NodeId, request: CommitRequest): void {
    if (!this.active) return this.notCoordinator(from, "k.commit-reply", request.id);
    const group = this.groupOf(request.group);
    // Fencing by generation: a member that missed a rebalance may not move the group's offsets.
    if (!group.members.has(request.member) || request.generation !== group.generation) {
      return this.host.ctx.send(from, { type: "k.commit-reply", id: request.id, error: "illegal-generation" });
    }
    // While the next generation's record is being written, an old-generation commit would land after
    // it, behind the back of a new owner that already read its start (Kafka: CompletingRebalance).
    if (group.state === "completing") return this.host.ctx.send(from, { type: "k.commit-reply", id: request.id, error: "rebalance-in-progress" });
    group.members.get(request.member)!.lastHeardUs = this.host.ctx.now();
    const record: GroupRecord = { kind: "commit", group: request.group, partition: request.partition, offset: request.offset, generation: request.generation };
    this.write(record, (error) => {
      if (error === undefined) group.committed.set(request.partition, request.offset);
      this.host.ctx.send(from, error === undefined ? { type: "k.commit-reply", id: request.id } : { type: "k.commit-reply", id: request.id, error });
    });
  }

  private offsetFetch(from: NodeId, request: OffsetFetchRequest): void {
    if (!this.active) return this.notCoordinator(from, "k.offset-fetch-reply", request.id);
    const group = this.groupOf(request.group);
    const offsets = request.partitions.map((partition) => ({ partition, offset: group.committed.get(partition) ?? null }));
    this.host.ctx.send(from, { type: "k.offset-fetch-reply", id: request.id, offsets });
  }

  private leave(request: LeaveGroupRequest): void {
    if (!this.active) return;
    const group = this.groupOf(request.group);
    if (!group.members.delete(request.member)) return;
    if (group.state === "stable") this.prepareRebalance(group, this.host.ctx.now());
    this.maybeCompleteRebalance(request.group, group);
  }

  /** Appends a record to the offsets partition; `done` once it is replicated, or with an error. */
  private write(record: GroupRecord, done: (error?: LogError) => void): void {
    const partition = this.partition;
    if (!this.active || partition === undefined) return done("not-coordinator");
    if (partition.isr.length < this.host.config.minInsyncReplicas) return done("not-enough-replicas");
    const offset = partition.append(record);
    // Appended: a failure from here on (leadership lost, timeout) leaves the outcome unknown.
    partition.awaitCommit(offset, (error) => done(error === undefined ? undefined : "request-timeout"));
  }

  /** Expires silent members and completes rebalances whose deadline passed. */
  tick(): void {
    if (!this.active) {
      if (this.groups.size > 0 && this.partition !== undefined && this.partition.role !== "leader") this.groups = new Map();
      return;
    }
    const nowUs = this.host.ctx.now();
    for (const [name, group] of this.groups) {
      if (group.state === "stable") {
        const expired = [...group.members.entries()].filter(([, member]) => nowUs - member.lastHeardUs > this.host.config.groupSessionTimeoutUs);
        if (expired.length > 0) {
          for (const [id] of expired) group.members.delete(id);
          this.prepareRebalance(group, nowUs);
          this.maybeCompleteRebalance(name, group);
        }
      } else if (group.state === "preparing" && nowUs >= group.rebalanceDeadlineUs) {
        this.maybeCompleteRebalance(name, group, true);
      }
    }
  }

}

/** Kafka's range assignor: members sorted, partitions split into contiguous runs. */
export function rangeAssignment(members: readonly string[], partitions: readonly number[]): Map<string, number[]> {
  const assignment = new Map<string, number[]>();
  const per = Math.floor(partitions.length / members.length);
  const extra = partitions.length % members.length;
  let next = 0;
  members.forEach((member, index) => {
    const count = per + (index < extra ? 1 : 0);
    assignment.set(member, partitions.slice(next, next + count));
    next += count;
  });
  return assignment;
}
