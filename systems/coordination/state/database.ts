// One server's replicated state: the znode tree (applied, committed), the transaction log since the last
// snapshot (committed and not yet committed entries), and the rules that keep them honest:
// zxids strictly increase in the log, applies never skip, a committed prefix never changes.
import type { NodeContext } from "../../../sim/types.ts";
import type { Zxid } from "../client/api.ts";
import type { ServerBugs } from "../bugs.ts";
import type { LogEntry } from "../messages.ts";
import type { Storage, Recovered } from "./storage.ts";
import { ZnodeTree, type ApplyOutcome, type SerializedTree } from "./tree.ts";
import { formatZxid } from "./zxid.ts";

export type ApplyListener = (entry: LogEntry, outcome: ApplyOutcome) => void;

export class Database {
  tree: ZnodeTree;
  /** Entries after snapshotZxid, in zxid order; entries[0 .. appliedCount) are applied. */
  private log: LogEntry[];
  private appliedCount = 0;
  private snapshotZxid: Zxid;
  private appliedSinceSnapshot = 0;
  onApply: ApplyListener = () => {};

  constructor(
    private readonly ctx: NodeContext,
    private readonly storage: Storage,
    private readonly bugs: ServerBugs,
    private readonly snapshotEvery: number,
    recovered: Recovered,
  ) {
    this.tree = recovered.snapshot ? ZnodeTree.deserialize(recovered.snapshot, bugs.ephemeralLeak) : new ZnodeTree(bugs.ephemeralLeak);
    this.snapshotZxid = this.tree.lastZxid;
    // Logged entries are not known committed after a restart: the next leader's sync decides.
    this.log = recovered.log;
  }

  get committedZxid(): Zxid {
    return this.appliedCount > 0 ? this.log[this.appliedCount - 1]!.zxid : this.snapshotZxid;
  }

  get lastLoggedZxid(): Zxid {
    return this.log.length > 0 ? this.log[this.log.length - 1]!.zxid : this.snapshotZxid;
  }

  /** The oldest zxid this log can serve a DIFF from. */
  get logStartZxid(): Zxid {
    return this.snapshotZxid;
  }

  append(entry: LogEntry): void {
    const last = this.lastLoggedZxid;
    this.ctx.assert(entry.zxid > last, () => `log zxids must increase: ${formatZxid(entry.zxid)} after ${formatZxid(last)}`);
    this.log.push(entry);
    this.storage.append(entry);
  }

  /** Applies every logged entry up to `zxid`, in order. */
  commitTo(zxid: Zxid): void {
    if (zxid <= this.committedZxid) return;
    this.ctx.assert(zxid <= this.lastLoggedZxid,
      () => `commit of ${formatZxid(zxid)} beyond the log's end ${formatZxid(this.lastLoggedZxid)}`);
    while (this.appliedCount < this.log.length && this.log[this.appliedCount]!.zxid <= zxid) {
      const entry = this.log[this.appliedCount]!;
      this.appliedCount++;
      const outcome = this.tree.apply(entry.txn, entry.zxid);
      this.onApply(entry, outcome);
      this.appliedSinceSnapshot++;
    }
    this.ctx.assert(this.committedZxid === zxid || this.bugs.divergenceAllowed,
      () => `commit of ${formatZxid(zxid)} is not in the log (applied up to ${formatZxid(this.committedZxid)})`);
    if (this.appliedSinceSnapshot >= this.snapshotEvery) this.takeSnapshot();
  }

  /** Entries after `zxid` (which must be logStartZxid or in the log). */
  entriesAfter(zxid: Zxid): LogEntry[] {
    return this.log.slice(this.indexAfter(zxid));
  }

  /** The largest zxid this server has at or below `zxid`: where a follower's history meets ours. */
  floorZxid(zxid: Zxid): Zxid {
    const index = this.indexAfter(zxid);
    return index > 0 ? this.log[index - 1]!.zxid : this.snapshotZxid;
  }

  /** Discards logged entries after `zxid`: they were never committed (TRUNC). */
  truncateAfter(zxid: Zxid): void {
    this.ctx.assert(zxid >= this.committedZxid || this.bugs.divergenceAllowed,
      () => `truncation to ${formatZxid(zxid)} below the committed ${formatZxid(this.committedZxid)}`);
    const keep = this.indexAfter(zxid);
    this.ctx.assert(keep === 0 ? zxid === this.snapshotZxid || this.bugs.divergenceAllowed : this.log[keep - 1]!.zxid === zxid,
      () => `truncation point ${formatZxid(zxid)} is not in the log`);
    this.log.length = keep;
    this.appliedCount = Math.min(this.appliedCount, keep);
    this.storage.truncateLog(keep);
  }

  /** Replaces everything with a leader's snapshot (SNAP); `entries` follow it. */
  installSnapshot(snapshot: SerializedTree, entries: readonly LogEntry[]): void {
    this.ctx.assert(snapshot.lastZxid >= this.committedZxid || this.bugs.divergenceAllowed,
      () => `snapshot at ${formatZxid(snapshot.lastZxid)} is older than the committed ${formatZxid(this.committedZxid)}`);
    this.tree = ZnodeTree.deserialize(snapshot, this.bugs.ephemeralLeak);
    this.snapshotZxid = snapshot.lastZxid;
    this.log = [];
    this.appliedCount = 0;
    this.appliedSinceSnapshot = 0;
    this.storage.writeSnapshot(snapshot);
    this.storage.replaceLog([]);
    for (const entry of entries) this.append(entry);
  }

  serializeCommitted(): SerializedTree {
    return this.tree.serialize();
  }

  /** The tree as of the last commit, then the log shortened to what follows it. */
  private takeSnapshot(): void {
    const snapshot = this.tree.serialize();
    this.storage.writeSnapshot(snapshot);
    this.log = this.log.slice(this.appliedCount);
    this.appliedCount = 0;
    this.snapshotZxid = snapshot.lastZxid;
    this.appliedSinceSnapshot = 0;
    // Both writes land before any later fsync, which makes them durable together; recovery also skips
    // log entries a snapshot already covers, so either order on disk is safe.
    this.storage.replaceLog(this.log);
  }

  private indexAfter(zxid: Zxid): number {
    // Binary search: the first index whose zxid is greater than `zxid`.
    let low = 0;
    let high = this.log.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.log[middle]!.zxid <= zxid) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
