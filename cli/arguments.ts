// Argument parsing shared by the commands: one clear line for every bad value.
import { UserError } from "../sim/errors.ts";
import { isSeed } from "../sim/random.ts";

export function parseSeed(text: string, flag: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!isSeed(value)) throw new UserError(`${flag} must be an integer in 0..4294967295, not "${text}"`);
  return value;
}

export function parseCount(text: string, flag: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UserError(`${flag} must be a positive integer, not "${text}"`);
  return value;
}

export function parseSimSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 86_400) throw new UserError(`--sim-seconds must be a number of seconds in (0, 86400], not "${text}"`);
  return value;
}

export function parseSeconds(text: string, flag: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) throw new UserError(`${flag} must be a positive number of seconds, not "${text}"`);
  return value;
}
