/**
 * What the Logs view asks of one node: which Harbor log files there are, and a byte range of one, read with `dd`
 * (numeric arguments, the file named by the listing and checked): a chunk from the end, never the whole file.
 */
import { randomBytes } from 'node:crypto';
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

/** A file's last bytes as `readEnds` found them. */
export interface FileEnd {
  readonly file: LogFile;
  /** Where `bytes` start in the file. */
  readonly start: number;
  readonly bytes: Buffer;
}

/**
 * Every current log file with its last `chunkBytes` (fewer when the file is shorter), in one command: the listing and
 * the reads of `listLogFiles` and `readRange` cost two round trips one after the other, about half of the first read's
 * time. A fixed script (the chunk size and a fresh marker are its arguments, no text of ours pasted into it) prints,
 * for each file, the marker, its size and name on one line, then its bytes; the marker (128 random bits) is what
 * separates files, so a file cut shorter between its size and its read (copytruncate) cannot shift the next file.
 */
export async function readEnds(run: NodeRunner, label: string, chunkBytes: number): Promise<FileEnd[]> {
  const marker = randomBytes(16).toString('hex');
  const script = [
    `[ -d ${HARBOR_LOG_DIR} ] || exit 0`,
    `cd ${HARBOR_LOG_DIR} || exit 1`,
    'rc=0',
    'for f in *.log; do',
    '  { [ -f "$f" ] && [ ! -L "$f" ]; } || continue',
    '  s=$(stat -c %s -- "$f") || { rc=1; continue; }',
    '  n=$(( s < $1 ? s : $1 ))',
    `  printf '%s %s %s\\n' "$2" "$s" "$f"`,
    '  dd if="$f" bs=65536 iflag=skip_bytes,count_bytes skip=$((s - n)) count=$n status=none || rc=1',
    'done',
    'exit $rc',
  ].join('\n');
  const parts: Buffer[] = [];
  const r = await run(['sh', '-c', script, 'sh', String(chunkBytes), marker], {
    purpose: 'logs: read the ends',
    maxBuffer: 1,
    onStdout: (c) => parts.push(c),
  });
  if (r.code !== 0) throw logCommandFailed(label, L(`reading ${HARBOR_LOG_DIR}`, `读取 ${HARBOR_LOG_DIR}`), r.code, r.stderr);
  const out = Buffer.concat(parts);
  const sep = Buffer.from(`${marker} `);
  const ends: FileEnd[] = [];
  for (let at = out.indexOf(sep); at >= 0;) {
    const next = out.indexOf(sep, at + sep.length);
    const part = out.subarray(at + sep.length, next >= 0 ? next : out.length);
    at = next;
    const eol = part.indexOf(10);
    const header = /^(\d+) (.+)$/.exec(part.subarray(0, Math.max(0, eol)).toString('utf8'));
    const m = LOG_FILE.exec(header?.[2] ?? '');
    if (eol < 0 || !header || !m) continue;
    const size = Number(header[1]);
    const bytes = part.subarray(eol + 1);
    ends.push({
      file: { component: m[1]!, path: `${HARBOR_LOG_DIR}/${header[2]}`, size },
      start: size - Math.min(size, chunkBytes),
      bytes,
    });
  }
  return ends.sort((a, b) => (a.file.component < b.file.component ? -1 : 1));
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
