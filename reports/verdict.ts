// One run's verdict for a person: each property on one line, then the evidence that matters.
import type { PropertyResult } from "../properties/result.ts";

export function verdictLines(properties: readonly PropertyResult[]): string[] {
  return properties.map((property) => {
    const mark = property.valid === true ? "ok     " : property.valid === false ? "VIOLATED" : "unknown";
    const anomalies = property.anomalies.length > 0 ? ` [${property.anomalies.join(", ")}]` : "";
    return `${mark}  ${property.name}${anomalies}: ${property.summary}`;
  });
}
