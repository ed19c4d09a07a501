/** Joins the results of several PBS commands of the same kind into one Parsed<T>. */
import type { Parsed } from './types.js';

/** Concatenates items and repairs; keeps the newest timestamp and the first version/server seen. */
export function mergeParsed<T>(parts: Parsed<T>[]): Parsed<T> {
  const out: Parsed<T> = {
    items: [],
    timestamp: null,
    pbsVersion: null,
    pbsServer: null,
    repairs: [],
  };
  for (const p of parts) {
    out.items.push(...p.items);
    out.repairs.push(...p.repairs);
    if (p.timestamp !== null && (out.timestamp === null || p.timestamp > out.timestamp))
      out.timestamp = p.timestamp;
    out.pbsVersion ??= p.pbsVersion;
    out.pbsServer ??= p.pbsServer;
  }
  return out;
}

/** An empty result, for when PBS had nothing to say. */
export function emptyParsed<T>(): Parsed<T> {
  return { items: [], timestamp: null, pbsVersion: null, pbsServer: null, repairs: [] };
}
