// Ordering the candidates of the election recipe: the server names each ephemeral-sequential znode
// with a 10-digit counter; the lowest is master and everyone else watches only its predecessor
// (no herd effect when the master goes).

/** The sequence number the server appended to `name` (its last 10 digits). */
export function sequenceOf(name: string): number {
  const match = /(\d{10})$/.exec(name);
  return match === null ? Number.POSITIVE_INFINITY : Number(match[1]);
}

export interface Standing {
  /** Our lowest znode among `children`, if any. */
  mine: string | undefined;
  /** Our other znodes (left by creates whose replies were lost): to delete. */
  extras: string[];
  /** The znode just below ours, which we watch; undefined when we are lowest (or absent). */
  predecessor: string | undefined;
}

export function standing(children: readonly string[], isMine: (name: string) => boolean): Standing {
  const sorted = [...children].filter((name) => Number.isFinite(sequenceOf(name)))
    .sort((a, b) => sequenceOf(a) - sequenceOf(b));
  const ours = sorted.filter(isMine);
  const mine = ours[0];
  if (mine === undefined) return { mine, extras: [], predecessor: undefined };
  const position = sorted.indexOf(mine);
  return { mine, extras: ours.slice(1), predecessor: position === 0 ? undefined : sorted[position - 1] };
}
