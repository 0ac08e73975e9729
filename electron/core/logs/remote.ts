/**
 * What the Logs view asks of one node: which Harbor log files there are, and a byte range of one, read with `dd`
 * (numeric arguments, the file named by the listing and checked): a chunk from the end, never the whole file.
 */
import type { ExecResult, ExecOptions } from '../ssh/exec';
import { L } from '../../../shared/i18n/localized';
import { logCommandFailed } from './errors';

/** Where Harbor's `log` container writes, in 1.x and 2.x alike (rsyslog's /var/log/docker, mounted from the host). */
export const HARBOR_LOG_DIR = '/var/log/harbor';
/** A current log file (rotated ones are `.log.1`, `.log.2.gz`: left out). */
const LOG_FILE = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\.log$/;
/** sshd allows ten sessions per connection; reads of one node share its connection with other work. */
export const READS_PER_NODE = 4;

export type NodeRunner = (argv: readonly string[], options: ExecOptions & { purpose: string }) => Promise<ExecResult>;

export interface LogFile {
  readonly component: string;
  readonly path: string;
  readonly size: number;
}

export async function listLogFiles(run: NodeRunner, label: string): Promise<LogFile[]> {
  const argv = ['find', HARBOR_LOG_DIR, '-maxdepth', '1', '-type', 'f', '-name', '*.log', '-printf', '%s\\t%f\\n'];
  const r = await run(argv, { purpose: 'logs: list' });
  // No /var/log/harbor yet (Harbor not installed): no files, not a failure.
  if (r.code !== 0 && /No such file/.test(r.stderr)) return [];
  if (r.code !== 0) throw logCommandFailed(label, L(`listing ${HARBOR_LOG_DIR}`, `列出 ${HARBOR_LOG_DIR}`), r.code, r.stderr);
  const files: LogFile[] = [];
  for (const row of r.stdout.split('\n')) {
    const [size, name] = row.split('\t');
    const m = LOG_FILE.exec(name ?? '');
    if (m && /^\d+$/.test(size ?? '')) files.push({ component: m[1]!, path: `${HARBOR_LOG_DIR}/${name}`, size: Number(size) });
  }
  return files.sort((a, b) => (a.component < b.component ? -1 : 1));
}

/** The bytes [start, start + length) of a file, counted as they arrive. */
export async function readRange(run: NodeRunner, label: string, path: string, start: number, length: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const argv = ['dd', `if=${path}`, 'bs=65536', 'iflag=skip_bytes,count_bytes', `skip=${start}`, `count=${length}`, 'status=none'];
  const r = await run(argv, { purpose: 'logs: read', maxBuffer: 1, onStdout: (c) => parts.push(c) });
  if (r.code !== 0) throw logCommandFailed(label, L(`reading ${path}`, `读取 ${path}`), r.code, r.stderr);
  return Buffer.concat(parts);
}

/** Runs the tasks with at most `limit` at once, answers in the tasks' order. */
export async function limited<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const k = next++;
      out[k] = await tasks[k]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}
