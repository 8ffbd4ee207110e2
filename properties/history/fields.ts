// Readers for the fields of log and master operation values. Every failure is a HistoryError (exit 3) whose
// one line names the operation, the field and what was found, so a person can fix the file.
import { HistoryError, where } from "./error.ts";

/** Producer, consumer, group and node ids: JSON strings or numbers, as histories from elsewhere use either. */
export type Id = string | number;
export type Fields = Readonly<Record<string, unknown>>;

/** `what` names the value in messages, e.g. "send ok value". */
export interface Place {
  index: number;
  what: string;
}

export function fail(place: Place, problem: string): HistoryError {
  return new HistoryError(`${where(place.index)}: ${place.what} ${problem}`);
}

export function show(value: unknown): string {
  const text = value === undefined ? "nothing" : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function objectValue(value: unknown, place: Place): Fields {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(place, `must be an object, got ${show(value)}`);
  }
  return value as Fields;
}

export function integerField(fields: Fields, key: string, place: Place): number {
  const value = fields[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw fail(place, `field "${key}" must be an integer, got ${show(value)}`);
  }
  return value;
}

export function optionalIntegerField(fields: Fields, key: string, place: Place): number | undefined {
  return fields[key] === undefined || fields[key] === null ? undefined : integerField(fields, key, place);
}

export function numberField(fields: Fields, key: string, place: Place): number {
  const value = fields[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw fail(place, `field "${key}" must be a number, got ${show(value)}`);
  }
  return value;
}

export function idField(fields: Fields, key: string, place: Place): Id {
  const value = fields[key];
  if (typeof value !== "string" && !(typeof value === "number" && Number.isFinite(value))) {
    throw fail(place, `field "${key}" must be a string or a number, got ${show(value)}`);
  }
  return value;
}

export function optionalIdField(fields: Fields, key: string, place: Place): Id | undefined {
  return fields[key] === undefined || fields[key] === null ? undefined : idField(fields, key, place);
}

export function booleanField(fields: Fields, key: string, place: Place): boolean {
  const value = fields[key];
  if (typeof value !== "boolean") throw fail(place, `field "${key}" must be true or false, got ${show(value)}`);
  return value;
}

/** Record values may be any JSON value but must be there: they are how a record is traced end to end. */
export function presentField(fields: Fields, key: string, place: Place): unknown {
  if (fields[key] === undefined) throw fail(place, `lacks field "${key}"`);
  return fields[key];
}

export function arrayField(fields: Fields, key: string, place: Place): readonly unknown[] {
  const value = fields[key];
  if (!Array.isArray(value)) throw fail(place, `field "${key}" must be an array, got ${show(value)}`);
  return value;
}

/** Values are unique per run; JSON text tells 1 from "1" and compares arrays and objects by content. */
export function valueKey(value: unknown): string {
  return JSON.stringify(value) ?? "undefined";
}
