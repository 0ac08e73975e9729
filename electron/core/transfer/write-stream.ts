/**
 * Moves the file's bytes into the partial file on the node: a plain byte stream into `sh -c 'exec
 * cat >> "$1"'` on an exec channel. Measured against pipelined SFTP WRITEs (node-ssh putFile, ssh2
 * fastPut, at several sizes and concurrencies; docs/transfer.md): ssh2 copies each SFTP WRITE into
 * a request of its own before cutting it into packets, one more copy and allocation of every byte
 * than a stream, and the desktop's CPU is what limits an upload. There is no per-write reply, so
 * what is on the node is learnt by reading the partial file's size over SFTP every
 * `pollIntervalMs` (appends are sequential: every byte below that size is in place).
 */
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { SshError, classify } from '../ssh/errors';
import { commandLine } from '../ssh/quote';
import { remoteCommandFailed } from './errors';
import type { FileBlock, LocalFile } from './local';
import { sftpStat, type RemoteSession } from './remote';

export interface WriteJob {
  readonly session: RemoteSession;
  /** The upload's SFTP session (open for the whole upload). */
  readonly sftp: SFTPWrapper;
  readonly file: LocalFile;
  /** The partial file: it exists and holds the file's first `offset` bytes. */
  readonly part: string;
  readonly offset: number;
  /** The file from `offset` on, in order. */
  readonly blocks: AsyncIterable<FileBlock>;
  /** Aborted on cancel or when the connection drops; its reason is what the writer throws. */
  readonly signal: AbortSignal;
  readonly pollIntervalMs: number;
  /** Bytes of the file (from 0) that ssh2 has taken within the node's window. */
  onSent(bytes: number): void;
  /** The first `bytes` of the partial file are on the node's disk. Called with growing values. */
  onContiguous(bytes: number): void;
}

/** Resolves once every byte of the file is in the partial file (the writer exited 0, the size is the file's). */
export async function writeStream(job: WriteJob): Promise<void> {
  const { session, sftp, file, part, signal, pollIntervalMs } = job;
  const label = session.label;
  let fed = job.offset;
  // Typed by assertion: assigned only inside poll(), so TypeScript would take it for null at the final await.
  let polling = null as Promise<void> | null;
  const poll = () =>
    (polling ??= sftpStat(sftp, part, label)
      .then((st) => {
        const size = st ? Math.min(st.size, file.size) : fed;
        if (size > fed) {
          fed = size;
          job.onContiguous(size);
        }
      })
      .catch(() => undefined)
      .finally(() => (polling = null)));
  const ticker = setInterval(() => void poll(), pollIntervalMs);
  const sinkArgv = ['sh', '-c', 'exec cat >> "$1"', 'sh', part];
  const sinkStarted = performance.now();
  let sinkCode: number | null = null;
  let done = job.offset;
  try {
    await new Promise<void>((resolve, reject) => {
      let failed: Error | null = null;
      let channel: ClientChannel | null = null;
      const fail = (e: Error) => {
        if (failed) return;
        failed = e;
        channel?.close();
        reject(e);
      };
      const onAbort = () => fail(signal.reason as Error);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      session.client.exec(commandLine(sinkArgv), (error, ch) => {
        if (error) return fail(classify(error, label));
        channel = ch;
        if (failed) return void ch.close();
        let stderr = '';
        let drained: Promise<void> | null = null;
        const closed = new Promise<void>((r) => ch.once('close', r));
        ch.on('data', () => undefined);
        ch.on('error', (e: Error) => fail(classify(e, label)));
        ch.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
        ch.on('exit', (c: number | null) => (sinkCode = c));
        ch.on('close', () => {
          signal.removeEventListener('abort', onAbort);
          if (failed) return;
          if (sinkCode !== 0) return fail(remoteCommandFailed(label, `writing ${part}`, sinkCode, stderr));
          if (done !== file.size) return fail(new SshError('disconnected', label));
          resolve();
        });
        (async () => {
          for await (const { data, hold } of job.blocks) {
            if (failed) break;
            const len = data.length;
            // ssh2 has copied the block into its packets when it calls back.
            let copied!: () => void;
            hold(new Promise<void>((r) => (copied = r)));
            const more = ch.write(data, (error?: Error | null) => {
              copied();
              if (error || failed) return;
              done += len;
              job.onSent(done);
            });
            drained = more ? null : new Promise<void>((r) => ch.once('drain', r));
            if (drained && !failed) await Promise.race([drained, closed]);
          }
          if (!failed) ch.end();
        })().catch((e: unknown) => fail(e as Error));
      });
    });
  } finally {
    clearInterval(ticker);
    session.record?.(sinkArgv, sinkCode, performance.now() - sinkStarted, 'transfer: write file data');
  }
  // The last size, after the writer ended: everything must be there.
  await polling;
  await poll();
  if (fed !== file.size) throw remoteCommandFailed(label, `writing ${part}`, sinkCode, `the node has ${fed} of ${file.size} bytes`);
}
