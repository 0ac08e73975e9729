/**
 * The Logs view's download: the lines shown (already masked by the service) as a .tar.gz at the operator's path —
 * merged.log with every node by time, and <node>/<component>.log with each file's lines as the node has them.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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

/** Writes the bundle; answers its size in bytes. */
export async function writeBundle(path: string, lines: readonly LogLine[]): Promise<number> {
  const target = expandHome(path);
  const perFile = new Map<string, string[]>();
  for (const l of lines) {
    const name = `${l.node}/${l.component}.log`;
    let list = perFile.get(name);
    if (!list) perFile.set(name, (list = []));
    list.push(`${l.text}\n`);
  }
  const tar = pack();
  const written = pipeline(
    Readable.from(tar as unknown as AsyncIterable<Buffer>),
    createGzip(),
    createWriteStream(target, { mode: 0o600 }),
  );
  const mtime = new Date();
  tar.entry({ name: 'merged.log', mode: 0o600, mtime }, lines.map(mergedLine).join(''));
  for (const [name, list] of perFile) tar.entry({ name, mode: 0o600, mtime }, list.join(''));
  tar.finalize();
  try {
    await written;
    return (await stat(target)).size;
  } catch (error) {
    const why = (error as Error)?.message ?? String(error);
    throw new ApiError({
      code: 'storage',
      reason: 'bundle_write',
      message: L(`The log bundle cannot be written to ${target}: ${why}`, `无法将日志包写入 ${target}：${why}`),
    });
  }
}
