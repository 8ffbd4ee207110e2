// Master liveness, when the caller gives a deadline: some node acts as master at some time in
// [livenessFromUs, livenessDeadlineUs] (e.g. from the heal to the heal plus a bound). Without a start,
// the deadline instant itself must be covered. An interval still open at the end of a run is the harness's to
// close (at the run's end), or it is invisible here.
import type { PropertyResult } from "../result.ts";
import type { MasterHistory } from "./history.ts";
import { plural } from "../findings.ts";

export const MASTER_LIVENESS = "master-liveness";

export interface LivenessWindow {
  livenessDeadlineUs: number;
  livenessFromUs?: number;
}

export function checkMasterLiveness(masters: MasterHistory, window: LivenessWindow): PropertyResult {
  const fromUs = window.livenessFromUs ?? window.livenessDeadlineUs;
  const span = fromUs === window.livenessDeadlineUs ? `at ${fromUs} us` : `in [${fromUs}, ${window.livenessDeadlineUs}] us`;
  if (fromUs > window.livenessDeadlineUs) {
    return {
      name: MASTER_LIVENESS, valid: "unknown", anomalies: [], evidence: [],
      summary: `the liveness window [${fromUs}, ${window.livenessDeadlineUs}] us is empty: the run ended too soon to judge`,
    };
  }
  const acting = masters.intervals.find((interval) =>
    interval.startUs <= window.livenessDeadlineUs && interval.endUs > fromUs && interval.startUs < interval.endUs);
  if (acting) {
    return {
      name: MASTER_LIVENESS, valid: true, anomalies: [], evidence: [acting.op],
      summary: `${JSON.stringify(acting.node)} acted as master ${span} (index ${acting.op.index})`,
    };
  }
  return {
    name: MASTER_LIVENESS, valid: false, anomalies: ["no-master"], evidence: [],
    summary: `no node acted as master ${span} (${plural(masters.intervals.length, "master interval")} in all)`,
  };
}
