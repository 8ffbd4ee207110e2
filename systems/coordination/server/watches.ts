// Server-side watches: one-shot, per session, registered on this server only (a client that moves
// re-registers them with setWatches). Data watches cover getData and exists; child watches getChildren.
import type { WatchEvent } from "../client/api.ts";

export class WatchManager {
  private readonly data = new Map<string, Set<string>>();
  private readonly child = new Map<string, Set<string>>();

  addData(path: string, session: string): void {
    add(this.data, path, session);
  }

  addChild(path: string, session: string): void {
    add(this.child, path, session);
  }

  removeSession(session: string): void {
    for (const map of [this.data, this.child]) {
      for (const [path, sessions] of map) {
        sessions.delete(session);
        if (sessions.size === 0) map.delete(path);
      }
    }
  }

  clear(): void {
    this.data.clear();
    this.child.clear();
  }

  /** Who hears `event`, in registration order, once per session; their watches are consumed. */
  fire(event: WatchEvent, deliver: (session: string, event: WatchEvent) => void): void {
    const data = event.type !== "children" ? take(this.data, event.path) : undefined;
    const child = event.type === "children" || event.type === "deleted" ? take(this.child, event.path) : undefined;
    if (data) for (const session of data) deliver(session, event);
    if (child) for (const session of child) if (!data?.has(session)) deliver(session, event);
  }
}

function add(map: Map<string, Set<string>>, path: string, session: string): void {
  let sessions = map.get(path);
  if (!sessions) map.set(path, (sessions = new Set()));
  sessions.add(session);
}

function take(map: Map<string, Set<string>>, path: string): Set<string> | undefined {
  const sessions = map.get(path);
  if (sessions) map.delete(path);
  return sessions;
}
