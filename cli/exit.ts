// Exit codes for every command, and the code a command's action sets (commander's actions cannot
// return a value). A module of its own so that commands and main.ts do not import each other.
export const EXIT = { valid: 0, violated: 1, unknown: 2, usage: 3, internal: 255 } as const;

let exitCode = 0;
export function setExitCode(code: number): void {
  exitCode = code;
}
export function takeExitCode(): number {
  const code = exitCode;
  exitCode = 0;
  return code;
}
