// One property's verdict on one history. properties/ must not import scenarios/, so the shape lives here;
// scenarios/types.ts declares the same interface (structurally identical: either may be used for the other).

/** `valid: "unknown"` when a checker could not decide (budget spent, or the history lacks what it needs). */
export interface PropertyResult {
  name: string;
  valid: boolean | "unknown";
  /** Named anomalies found, spelled as in docs/histories.md (e.g. "lost-write", "overlapping-masters"). */
  anomalies: string[];
  /** One line a person can read: what failed, where; or what was checked. */
  summary: string;
  /** JSON-able evidence (offending operations, witness). */
  evidence?: unknown;
}
