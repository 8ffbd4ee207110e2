// Two kinds of failure, kept apart, as the tools we measure ourselves against keep them: a user's bad input (exit 3, one line)
// and a broken invariant inside a simulated system (our bug, or the bug switch a scenario turned on).

/** Bad input from a person: a schedule, a seed, a file. The CLI prints the message alone and exits 3. */
export class UserError extends Error {
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** A protocol invariant failed inside the simulation; the message names seed, true time and node. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvariantError";
  }
}

/** True for any error meant for the user (any module may mark its errors with `userError = true`). */
export function isUserError(error: unknown): error is Error {
  return typeof error === "object" && error !== null && (error as { userError?: unknown }).userError === true;
}
