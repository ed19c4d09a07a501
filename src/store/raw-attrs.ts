/** `jobs.raw_attrs`: the gzip of the JSON of a job's raw attribute map (about 10× smaller). */
import { gunzipSync, gzipSync } from 'node:zlib';

/** Packs any JSON-serialisable value. */
export function packRaw(obj: unknown): Uint8Array {
  const buf = gzipSync(Buffer.from(JSON.stringify(obj), 'utf8'), { level: 6 });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Unpacks what packRaw made; throws a clear error on bytes that are not gzip JSON. */
export function unpackRaw<T = unknown>(bytes: Uint8Array): T {
  try {
    return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
  } catch (err) {
    throw new Error(`raw_attrs is not gzip JSON (${(err as Error).message})`, { cause: err });
  }
}
