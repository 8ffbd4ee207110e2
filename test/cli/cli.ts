// Runs the real `faultline` command as a person would, in a child process.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../bin/faultline.js", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

export function faultline(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return faultlineWith({}, ...args);
}

/** The command with these environment variables added (FAULTLINE_BUILD=off runs the sources, =require the bundle). */
export function faultlineWith(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
