/**
 * Which filesystem holds a path, from the Linux mount table. SQLite's WAL needs shared memory
 * (mmap of the -shm file) that network and parallel filesystems do not provide coherently.
 */
import { readFileSync, realpathSync } from 'node:fs';

export interface MountEntry {
  mountPoint: string;
  fsType: string;
}

/** Filesystem types (as in mountinfo) on which WAL mode is unsafe. */
const NETWORK_FS = new Set([
  'nfs',
  'nfs4',
  'lustre',
  'gpfs',
  'cifs',
  'smb3',
  'smbfs',
  'fuse.sshfs',
  'sshfs',
  'beegfs',
  'ceph',
  'fuse.ceph',
  'fuse.cephfs',
  'glusterfs',
  'fuse.glusterfs',
  'afs',
  'panfs',
  'wekafs',
  'gfs2',
  'ocfs2',
  '9p',
  'fuse.s3fs',
  'fuse.gcsfuse',
]);

export function isNetworkFs(fsType: string): boolean {
  return NETWORK_FS.has(fsType) || fsType.startsWith('nfs');
}

/** Parses /proc/self/mountinfo text (pure). Fields: id parent dev root mountpoint opts … - fstype src. */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    const mp = fields[4];
    const fsType = sep > 0 ? fields[sep + 1] : undefined;
    if (!mp || !fsType) continue;
    out.push({ mountPoint: unescapeOctal(mp), fsType });
  }
  return out;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The fs type of the longest mount point that prefixes `dir` (later mounts shadow earlier ones). */
export function fsTypeFor(dir: string, mounts: MountEntry[]): string | null {
  let best: MountEntry | null = null;
  for (const m of mounts) {
    const mp = m.mountPoint;
    const covers = mp === '/' || dir === mp || dir.startsWith(mp.endsWith('/') ? mp : mp + '/');
    if (!covers) continue;
    if (!best || mp.length >= best.mountPoint.length) best = m;
  }
  return best?.fsType ?? null;
}

/** The fs type holding `dir` on this machine, or null when the mount table cannot be read. */
export function detectFsType(dir: string, mountInfoPath = '/proc/self/mountinfo'): string | null {
  let text: string;
  try {
    text = readFileSync(mountInfoPath, 'utf8');
  } catch {
    return null;
  }
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    /* keep the given path */
  }
  return fsTypeFor(real, parseMountInfo(text));
}
