/**
 * The browser's operations on one node's SFTP session: list a folder, create a folder, rename, delete, change
 * permissions. Each asks the node's SFTP server directly (no shell), except a recursive delete, which is `rm -rf` as
 * an argv the caller runs and audits, and only after the operator named the folder.
 */
import { posix } from 'node:path';
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import { MAX_LIST_ENTRIES, type RemoteEntry, type RemoteListing } from '../../../shared/api/contracts/remote-files';
import { L } from '../../../shared/i18n/localized';
import { kindOf, lstatOrNull, readFolder, refusal, sftpCall } from './remote-sftp';

/** A folder's entries, by name; a link says where it points and what is there. */
export async function listFolder(sftp: SFTPWrapper, node: string, path: string): Promise<RemoteListing> {
  // `~` is where the SFTP server starts: the login's home folder.
  const start = path === '~' ? '.' : path;
  const [real, raw] = await Promise.all([
    sftpCall<string>(node, L('listing the folder', '列出文件夹'), path, (cb) => sftp.realpath(start, cb)),
    readFolder(sftp, node, start),
  ]);
  const shown = raw.sort((a, b) => compareNames(a.filename, b.filename));
  const kept = shown.slice(0, MAX_LIST_ENTRIES);
  const entries = kept.map(entryOf);
  // Only links need more: where they point and what is there.
  const links = entries.flatMap((e, k) => (e.kind === 'link' ? [k] : []));
  await Promise.all(links.map(async (k) => (entries[k] = await withTarget(sftp, real, entries[k]!))));
  return { path: real, entries, truncated: shown.length > kept.length };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function entryOf(e: FileEntryWithStats): RemoteEntry {
  const a = e.attrs;
  // OpenSSH's long name is `ls -l`'s line: mode, links, owner, group, size, … — the only place names are given.
  const [, , owner, group] = e.longname.split(/\s+/, 4);
  return {
    name: e.filename,
    kind: kindOf(a.mode),
    size: a.size,
    mode: a.mode & 0o7777,
    uid: a.uid,
    gid: a.gid,
    owner: owner ?? String(a.uid),
    group: group ?? String(a.gid),
    mtime: a.mtime,
  };
}

async function withTarget(sftp: SFTPWrapper, folder: string, entry: RemoteEntry): Promise<RemoteEntry> {
  const full = posix.join(folder, entry.name);
  const [target, stats] = await Promise.all([
    new Promise<string>((r) => sftp.readlink(full, (err, t) => r(err ? '' : t))),
    new Promise<Stats | null>((r) => sftp.stat(full, (err, s) => r(err ? null : s))),
  ]);
  return { ...entry, target, targetKind: stats ? kindOf(stats.mode) : 'missing' };
}

export function makeFolder(sftp: SFTPWrapper, node: string, path: string): Promise<void> {
  return sftpCall<void>(node, L('creating the folder', '创建文件夹'), path, (cb) => sftp.mkdir(path, cb));
}

/** Renames without replacing: SFTP's own rename (not posix-rename) fails when the new name exists, and it is checked first for a clear message. */
export async function renameEntry(sftp: SFTPWrapper, node: string, from: string, to: string): Promise<void> {
  if (await lstatOrNull(sftp, node, to)) {
    throw refusal('exists', node, L(`${to} already exists; choose another name.`, `${to} 已存在，请换一个名称。`));
  }
  await sftpCall<void>(node, L('renaming', '重命名'), from, (cb) => sftp.rename(from, to, cb));
}

export function changeMode(sftp: SFTPWrapper, node: string, path: string, mode: number): Promise<void> {
  return sftpCall<void>(node, L('changing permissions', '修改权限'), path, (cb) => sftp.chmod(path, mode, cb));
}

/** Paths no confirmation removes: the root and the system's top folders. */
const NEVER_REMOVED = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/proc',
  '/root',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
]);

/**
 * Deletes a file, link or empty folder over SFTP. A folder with entries needs `recursiveConfirm` equal to its path;
 * then `removeTree` runs `rm -rf` on the node (the caller's audited runner).
 */
export async function removeEntry(
  sftp: SFTPWrapper,
  node: string,
  path: string,
  recursiveConfirm: string | undefined,
  removeTree: (path: string) => Promise<void>,
): Promise<void> {
  const normal = posix.normalize(path).replace(/(.)\/+$/, '$1');
  if (NEVER_REMOVED.has(normal)) {
    throw refusal(
      'protected',
      node,
      L(`${normal} is a system folder; the Files panel does not delete it.`, `${normal} 是系统文件夹，文件面板不会删除它。`),
    );
  }
  const stats = await lstatOrNull(sftp, node, normal);
  if (!stats) throw refusal('no_such_file', node, L(`${normal} does not exist (any more).`, `${normal} 不存在（或已被删除）。`));
  const what = L('deleting', '删除');
  if (kindOf(stats.mode) !== 'dir') {
    await sftpCall<void>(node, what, normal, (cb) => sftp.unlink(normal, cb));
    return;
  }
  const children = await sftpCall<FileEntryWithStats[]>(node, what, normal, (cb) => sftp.readdir(normal, cb));
  const empty = children.every((c) => c.filename === '.' || c.filename === '..');
  if (empty) {
    await sftpCall<void>(node, what, normal, (cb) => sftp.rmdir(normal, cb));
    return;
  }
  if (recursiveConfirm === undefined || posix.normalize(recursiveConfirm).replace(/(.)\/+$/, '$1') !== normal) {
    throw refusal(
      'not_empty',
      node,
      L(
        `${normal} is not empty. To delete it with everything in it, confirm by naming the folder.`,
        `${normal} 不是空文件夹。如要连同其中所有内容一起删除，请输入该文件夹路径确认。`,
      ),
    );
  }
  await removeTree(normal);
}
