// The `faultline` command. Thin: parses arguments, calls scenarios/, properties/, reports/.
// Exit codes for every command: 0 valid, 1 violated, 2 unknown, 3 bad usage or input, 255 our bug.
import { Command, CommanderError } from "commander";
import { isUserError } from "../sim/errors.ts";
import { registerList } from "./list.ts";
import { registerCheck } from "./check.ts";
import { registerRun } from "./run.ts";
import { registerReplay } from "./replay.ts";
import { registerReport } from "./report.ts";
import { registerMerge } from "./merge.ts";
import { version } from "./version.ts";
import { EXIT, takeExitCode } from "./exit.ts";

export { EXIT };


function program(): Command {
  const root = new Command("faultline")
    .description("Deterministic fault-injection testbed: seeded simulation, generated faults, property checkers.")
    .version(version(), "-V, --version")
    .option("--debug", "print stack traces of errors")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showSuggestionAfterError(true);
  registerList(root);
  registerCheck(root);
  registerRun(root);
  registerReplay(root);
  registerReport(root);
  registerMerge(root);
  return root;
}

export async function main(argv: string[]): Promise<number> {
  takeExitCode();
  const debug = argv.includes("--debug");
  try {
    await program().parseAsync(argv, { from: "user" });
    return takeExitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return 0;
      return EXIT.usage; // commander already printed one line
    }
    if (isUserError(error)) {
      console.error(`faultline: ${(error as Error).message}`);
      if (debug) console.error((error as Error).stack);
      return EXIT.usage;
    }
    console.error("faultline: internal error (a bug in faultline; please report it with the command line):");
    console.error(error);
    return EXIT.internal;
  }
}
