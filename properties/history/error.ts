// Bad input in a history file or value: the user's mistake, not ours. properties/ must not import sim/,
// so this class carries the same `userError = true` mark that sim/errors.ts's isUserError looks for:
// the CLI prints the message alone (one line) and exits 3.

export class HistoryError extends Error {
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = "HistoryError";
  }
}

/** Where an operation sits, for messages: "operation 12 (line 40)" when the reader knows the line. */
export function where(index: number, line?: number): string {
  return line === undefined ? `operation ${index}` : `operation ${index} (line ${line})`;
}
