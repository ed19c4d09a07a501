/**
 * Create-once files (the PID file, the SQLite lock file): written to a private temp file and
 * hard-linked into place, so the file appears complete or not at all, and an existing file or
 * symbolic link at that path is never followed or overwritten (link(2) fails with EEXIST).
 */
import {
  closeSync,
  constants,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';

export type ExistingFile =
  { kind: 'absent' } | { kind: 'symlink' } | { kind: 'other' } | { kind: 'file'; text: string };

/** Creates `path` holding `text`; false if something already exists there. */
export function createExclusive(path: string, text: string, mode = 0o644): boolean {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** What is at `path`, read without following a symbolic link. */
export function readExisting(path: string, maxBytes = 4096): ExistingFile {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw err;
  }
  if (st.isSymbolicLink()) return { kind: 'symlink' };
  if (!st.isFile()) return { kind: 'other' };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ELOOP') return { kind: 'symlink' };
    throw err;
  }
  try {
    const buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, maxBytes, 0);
    return { kind: 'file', text: buf.subarray(0, n).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Removes `path` if it is a regular file whose content still satisfies `owned`. */
export function removeIfOwned(path: string, owned: (text: string) => boolean): boolean {
  const cur = readExisting(path);
  if (cur.kind !== 'file' || !owned(cur.text)) return false;
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
