/**
 * The small-file editor's reads and writes on a node. A read refuses what the editor would damage: more than
 * MAX_FILE_BYTES, a NUL byte (binary), bytes that are not UTF-8. A write goes to a temporary file in the same folder
 * (same file system, so the rename is atomic), gets the original's owner and mode, is flushed, and is renamed over the
 * original with posix-rename — but only while the node's copy still has the sha256 the editor read: otherwise it
 * answers the copy now, for the operator to compare and decide.
 */
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import type { RemoteText, WriteTextResult } from '../../../shared/api/contracts/remote-files';
import { MAX_FILE_BYTES, fileTooLarge } from '../../../shared/api/limits';
import { L } from '../../../shared/i18n/localized';
import { kindOf, readWhole, refusal, sftpCall, writeWhole } from './remote-sftp';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface ReadBytes {
  readonly path: string;
  readonly data: Buffer;
  readonly stats: Stats;
}

/** The file's bytes (links followed to the file they name), refused when not a regular file or over the limit. */
async function readBytes(sftp: SFTPWrapper, node: string, path: string): Promise<ReadBytes> {
  const what = L('opening the file', '打开文件');
  const real = await sftpCall<string>(node, what, path, (cb) => sftp.realpath(path, cb));
  const handle = await sftpCall<Buffer>(node, what, real, (cb) => sftp.open(real, 'r', cb));
  try {
    const stats = await sftpCall<Stats>(node, what, real, (cb) => sftp.fstat(handle, cb));
    if (kindOf(stats.mode) !== 'file') {
      throw refusal(
        'not_a_file',
        node,
        L(`${path} is not a regular file; the editor opens text files only.`, `${path} 不是普通文件；编辑器只能打开文本文件。`),
      );
    }
    if (stats.size > MAX_FILE_BYTES) {
      const limit = fileTooLarge(stats.size);
      throw refusal('too_large', node, L(`${path}: ${limit.en}`, `${path}：${limit['zh-CN']}`));
    }
    // One byte more than the limit: a file that grew since fstat is caught too.
    const data = await readWhole(sftp, node, real, handle, Math.min(stats.size + 1, MAX_FILE_BYTES + 1));
    if (data.length > MAX_FILE_BYTES) {
      const limit = fileTooLarge(data.length);
      throw refusal('too_large', node, L(`${path}: ${limit.en}`, `${path}：${limit['zh-CN']}`));
    }
    return { path: real, data, stats };
  } finally {
    sftp.close(handle, () => undefined);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function asText(node: string, path: string, data: Buffer): string {
  const binary = L(
    `${path} is a binary file (it holds NUL bytes or is not UTF-8 text); the editor opens text files only. Download it instead.`,
    `${path} 是二进制文件（含 NUL 字节或不是 UTF-8 文本）；编辑器只能打开文本文件。请改为下载。`,
  );
  if (data.includes(0)) throw refusal('binary', node, binary);
  try {
    return UTF8.decode(data);
  } catch {
    throw refusal('binary', node, binary);
  }
}

function textOf(node: string, asked: string, r: ReadBytes): RemoteText {
  return {
    path: r.path,
    content: asText(node, asked, r.data),
    sha256: sha256(r.data),
    size: r.data.length,
    mode: r.stats.mode & 0o7777,
    uid: r.stats.uid,
    gid: r.stats.gid,
  };
}

export async function readText(sftp: SFTPWrapper, node: string, path: string): Promise<RemoteText> {
  return textOf(node, path, await readBytes(sftp, node, path));
}

export async function writeText(
  sftp: SFTPWrapper,
  node: string,
  path: string,
  content: string,
  baseSha256: string,
): Promise<WriteTextResult> {
  const before = await readBytes(sftp, node, path);
  if (sha256(before.data) !== baseSha256) return { status: 'changed', current: textOf(node, path, before) };
  const data = Buffer.from(content, 'utf8');
  if (data.length > MAX_FILE_BYTES) {
    const limit = fileTooLarge(data.length);
    throw refusal('too_large', node, limit);
  }
  const target = before.path;
  const mode = before.stats.mode & 0o7777;
  const temp = posix.join(posix.dirname(target), `.${posix.basename(target)}.harbor-edit-${randomBytes(6).toString('hex')}`);
  const what = L('writing the temporary file', '写入临时文件');
  // Created private: the text may hold passwords, and the original's mode is applied once the owner is right.
  const handle = await sftpCall<Buffer>(node, what, temp, (cb) => sftp.open(temp, 'wx', { mode: 0o600 }, cb));
  let renamed = false;
  try {
    await writeWhole(sftp, node, temp, handle, data);
    const { uid, gid } = before.stats;
    await sftpCall<void>(node, L('keeping the owner', '保留属主'), temp, (cb) => sftp.fchown(handle, uid, gid, cb)).catch(
      async (error: unknown) => {
        // Not root: a chown to someone else fails; that is fine only when the file is the login's own already.
        const now = await sftpCall<Stats>(node, what, temp, (cb) => sftp.fstat(handle, cb));
        if (now.uid !== uid || now.gid !== gid) throw error;
      },
    );
    // After chown, which clears set-id bits.
    await sftpCall<void>(node, L('keeping the mode', '保留权限'), temp, (cb) => sftp.fchmod(handle, mode, cb));
    await new Promise<void>((resolve) => sftp.ext_openssh_fsync(handle, () => resolve()));
    await sftpCall<void>(node, L('closing the temporary file', '关闭临时文件'), temp, (cb) => sftp.close(handle, cb));
    await sftpCall<void>(node, L('replacing the file', '替换文件'), target, (cb) => sftp.ext_openssh_rename(temp, target, cb));
    renamed = true;
  } finally {
    if (!renamed) {
      sftp.close(handle, () => undefined);
      sftp.unlink(temp, () => undefined);
    }
  }
  return { status: 'written', sha256: sha256(data) };
}
