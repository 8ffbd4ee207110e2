// Where a history broke, in true time: the report zooms there and the trace window is cut around it.
import type { PropertyResult } from "../properties/result.ts";

const FINDING_SPAN_FRACTION_MAX = 0.05;

/**
 * Where the history broke, in true time: the culprit of the first non-linearizable partition, or the
 * operations of the first finding of the first violated property; for a stopped run (an invariant), its end.
 */
export function focusOf(properties: readonly Pick<PropertyResult, "valid" | "evidence">[], endUs: number): [number, number] {
  for (const property of properties) {
    if (property.valid !== false || !Array.isArray(property.evidence)) continue;
    const first = property.evidence[0] as Record<string, unknown> | undefined;
    const culprit = first?.culprit as { invokeTime?: number; completionTime?: number | null } | undefined;
    if (typeof culprit?.invokeTime === "number") return [culprit.invokeTime, culprit.completionTime ?? culprit.invokeTime];
    const times = ((first?.operations ?? []) as Array<{ time?: unknown }>).map((op) => op.time).filter((time): time is number => typeof time === "number");
    if (times.length === 0) continue;
    // A finding names its cause first (the acked send, the higher token): when what observed it came
    // much later (the final drain), the cause is where the history broke.
    const [earliest, latest] = [Math.min(...times), Math.max(...times)];
    return latest - earliest <= endUs * FINDING_SPAN_FRACTION_MAX ? [earliest, latest] : [times[0]!, times[0]!];
  }
  return [endUs, endUs];
}
