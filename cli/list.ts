// `faultline list faults|scenarios|bugs [--json]`
import type { Command } from "commander";
import { FAULT_KINDS } from "../sim/fault-catalogue.ts";
import { SCENARIOS, allBugs } from "../scenarios/catalogue.ts";
import { UserError } from "../sim/errors.ts";
import { ROLE_FAULT_KINDS } from "../scenarios/role-faults.ts";

const WHAT = ["faults", "scenarios", "bugs"];

export function registerList(program: Command): void {
  program
    .command("list")
    .description("list fault kinds, scenarios or bug switches")
    .argument("<what>", WHAT.join("|"))
    .option("--json", "print JSON")
    .action((what: string, options: { json?: boolean }) => {
      const rows = listing(what);
      if (options.json) console.log(JSON.stringify(rows.json, null, 2));
      else console.log(rows.text);
    });
}

function listing(what: string): { json: unknown; text: string } {
  switch (what) {
    case "faults":
      return {
        json: FAULT_KINDS,
        text: FAULT_KINDS.map((info) => {
          const parameters = info.parameters.map((p) => `    ${p.name}${p.optional ? "?" : ""}: ${p.type} — ${p.description}`);
          return [`${info.kind}  ${info.description}`, "    atUs: µs of true time", ...parameters].join("\n");
        }).join("\n") + `\n\n${ROLE_NOTE}`,
      };
    case "scenarios":
      return {
        json: SCENARIOS.map((s) => ({ name: s.name, description: s.description, bugs: s.bugs.map((b) => b.name), roles: s.roles ?? [] })),
        text: table(SCENARIOS.map((s) => [s.name, `${s.description}${(s.roles ?? []).length > 0 ? ` (fault roles: ${s.roles!.join(", ")})` : ""}`])),
      };
    case "bugs": {
      const bugs = allBugs();
      return {
        json: bugs,
        text: table(bugs.map((b) => [b.name, `breaks ${b.breaks} (${b.scenarios.join(", ")}): ${b.description}`])),
      };
    }
    default:
      throw new UserError(`cannot list "${what}"; choose one of ${WHAT.join(", ")}`);
  }
}

const ROLE_NOTE = `A fault may aim at a role instead of a node: {"atUs": 500000, "kind": "pause", "target": "leader", "durationUs": 300000}
resolves, when it fires, to whichever node holds the role then (nothing happens if nobody does); the run writes
that node into the saved schedule as "resolvedTo". Kinds: ${ROLE_FAULT_KINDS.join(", ")} ("isolate" cuts the holder
off from every other node). Each scenario's roles: \`faultline list scenarios\`.`;

function table(rows: string[][]): string {
  const width = Math.max(0, ...rows.map((row) => row[0]!.length));
  return rows.map((row) => `${row[0]!.padEnd(width)}  ${row[1]}`).join("\n");
}
