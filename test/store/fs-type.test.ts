import { describe, expect, it } from 'vitest';
import { fsTypeFor, isNetworkFs, parseMountInfo } from '../../src/store/fs-type.js';

const SAMPLE = `22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 259:2 / / rw,relatime - ext4 /dev/nvme0n1p2 rw
40 27 0:45 / /home rw,relatime shared:20 - nfs4 fs1:/export/home rw,vers=4.2
41 40 0:46 / /home/alice/scratch rw,relatime - lustre 10.0.0.1@o2ib:/scratch rw
42 27 0:47 / /lus/grand rw,relatime - lustre 10.1.0.1@o2ib:/grand rw
43 27 0:48 / /gpfs/proj rw - gpfs proj rw
44 27 0:49 / /mnt/my\\040share rw - cifs //srv/share rw
45 27 259:3 / /home/local rw - xfs /dev/sdb1 rw
`;

describe('mount table', () => {
  const mounts = parseMountInfo(SAMPLE);
  it('parses mount points (with octal escapes) and fs types', () => {
    expect(mounts.map((m) => [m.mountPoint, m.fsType])).toEqual([
      ['/proc', 'proc'],
      ['/', 'ext4'],
      ['/home', 'nfs4'],
      ['/home/alice/scratch', 'lustre'],
      ['/lus/grand', 'lustre'],
      ['/gpfs/proj', 'gpfs'],
      ['/mnt/my share', 'cifs'],
      ['/home/local', 'xfs'],
    ]);
  });
  it('matches the longest mount point prefix, on path components', () => {
    expect(fsTypeFor('/home/alice', mounts)).toBe('nfs4');
    expect(fsTypeFor('/home/alice/scratch/run1', mounts)).toBe('lustre');
    expect(fsTypeFor('/home/local/x', mounts)).toBe('xfs');
    expect(fsTypeFor('/homework', mounts)).toBe('ext4');
    expect(fsTypeFor('/gpfs/proj', mounts)).toBe('gpfs');
    expect(fsTypeFor('/mnt/my share/db', mounts)).toBe('cifs');
    expect(fsTypeFor('/tmp', mounts)).toBe('ext4');
    expect(fsTypeFor('/x', [])).toBeNull();
  });
  it('knows which filesystems lack the shared memory WAL needs', () => {
    for (const t of [
      'nfs',
      'nfs4',
      'lustre',
      'gpfs',
      'cifs',
      'smb3',
      'fuse.sshfs',
      'beegfs',
      'ceph',
    ]) {
      expect(isNetworkFs(t)).toBe(true);
    }
    for (const t of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'zfs', 'overlay'])
      expect(isNetworkFs(t)).toBe(false);
  });
});
