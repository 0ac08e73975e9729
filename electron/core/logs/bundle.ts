/**
 * The Logs view's download: the lines shown (already masked by the service) as a .tar.gz at the operator's path —
 * merged.log with every node by time, and <node>/<component>.log with each file's lines as the node has them.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { LogLine } from '../../../shared/api/contracts/logs';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { expandHome } from '../files/local';

/** A merged line says where it came from; the time is the parsed one (syslog's own has no year). */
export function mergedLine(l: LogLine): string {
  return `${new Date(l.time).toISOString()} ${l.node} ${l.component}: ${l.text}\n`;
}

/** Writes the bundle as a new file (never over an existing one: a mistyped path cannot clobber a file); answers its size. */
export async function writeBundle(path: string, lines: readonly LogLine[]): Promise<number> {
  const target = expandHome(path);
  const perFile = new Map<string, string[]>();
  for (const l of lines) {
    const name = `${l.node}/${l.component}.log`;
    let list = perFile.get(name);
    if (!list) perFile.set(name, (list = []));
    list.push(`${l.text}\n`);
  }
  let file: FileHandle;
  try {
    file = await open(target, 'wx', 0o600);
  } catch (error) {
    throw bundleFailure(target, error);
  }
  // The tar is built in memory from the lines already held, then written: nothing streams from a source that can fail.
  const tar = pack();
  const mtime = new Date();
  tar.entry({ name: 'merged.log', mode: 0o600, mtime }, lines.map(mergedLine).join(''));
  for (const [name, list] of perFile) tar.entry({ name, mode: 0o600, mtime }, list.join(''));
  tar.finalize();
  try {
    await pipeline(Readable.from(tar as unknown as AsyncIterable<Buffer>), createGzip(), file.createWriteStream());
    return (await stat(target)).size;
  } catch (error) {
    throw bundleFailure(target, error);
  } finally {
    await file.close().catch(() => undefined);
  }
}

function bundleFailure(target: string, error: unknown): ApiError {
  if ((error as NodeJS.ErrnoException)?.code === 'EEXIST') {
    return new ApiError({
      code: 'storage',
      reason: 'bundle_exists',
      message: L(`${target} exists already; choose a new file name for the log bundle.`, `${target} 已存在，请为日志包另选一个文件名。`),
    });
  }
  const why = (error as Error)?.message ?? String(error);
  return new ApiError({
    code: 'storage',
    reason: 'bundle_write',
    message: L(`The log bundle cannot be written to ${target}: ${why}`, `无法将日志包写入 ${target}：${why}`),
  });
}
