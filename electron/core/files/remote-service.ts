/**
 * The Files panel's core (docs/terminals.md, "Files"): per node, one SFTP session on a connection of its own for
 * browsing and editing (never the shared command connection, never a terminal's), and each download or upload on one
 * more connection, so a big transfer never stalls a listing. Every action is recorded in the audit log as what was
 * done to which path — never a file's content, which may hold passwords (harbor.yml).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2';
import type { FilesJobState, RemoteListing, RemoteText, WriteTextResult } from '../../../shared/api/contracts/remote-files';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { AuditLog } from '../audit';
import type { SshConnection } from '../ssh/connect';
import type { SshPool } from '../ssh/pool';
import { commandLine } from '../ssh/quote';
import { auditedSession } from '../transfer/audited-session';
import { cancelled, toApiError } from '../transfer/errors';
import { RateMeter } from '../transfer/progress';
import { openSftp, runOk, type RemoteSession } from '../transfer/remote';
import { uploadFile } from '../transfer/upload';
import { expandHome } from './local';
import { changeMode, listFolder, makeFolder, removeEntry, renameEntry } from './remote-browse';
import { downloadFile } from './remote-download';
import { readText, writeText } from './remote-edit';
import { kindOf, sftpCall } from './remote-sftp';

export interface RemoteFilesOptions {
  readonly pool: Pick<SshPool, 'open' | 'runOn'>;
  readonly audit: Pick<AuditLog, 'record'>;
  /** Least time between two progress events of a job. Default 100 ms. */
  readonly progressIntervalMs?: number;
}

interface Browser {
  readonly connection: SshConnection;
  readonly sftp: SFTPWrapper;
}

interface Job {
  state: FilesJobState;
  readonly listeners: Set<(s: FilesJobState) => void>;
  readonly abort: AbortController;
  readonly done: Promise<FilesJobState>;
}

/** One file a job moves: its path relative to the chosen file or folder's parent, and its size. */
interface Item {
  readonly rel: string;
  readonly size: number;
}

export class RemoteFilesService {
  readonly #browsers = new Map<string, Promise<Browser>>();
  readonly #jobs = new Map<string, Job>();

  constructor(private readonly options: RemoteFilesOptions) {}

  /** The node's browsing session, opened on first use and again after it drops. */
  #browser(profileId: string, nodeId: string): Promise<Browser> {
    const key = `${profileId}/${nodeId}`;
    let pending = this.#browsers.get(key);
    if (!pending) {
      pending = (async () => {
        const connection = await this.options.pool.open(profileId, nodeId);
        try {
          const sftp = await openSftp(this.#session(profileId, connection));
          return { connection, sftp };
        } catch (error) {
          connection.close();
          throw error;
        }
      })();
      this.#browsers.set(key, pending);
      const forget = () => this.#browsers.get(key) === pending && this.#browsers.delete(key);
      pending.then((b) => {
        b.connection.client.once('close', forget);
        b.sftp.once('close', forget);
      }, forget);
    }
    return pending;
  }

  /** Runs one browsing action and records it (its argv-like name and the path, nothing read or written). */
  async #act<T>(profileId: string, nodeId: string, what: readonly string[], purpose: string, act: (b: Browser) => Promise<T>): Promise<T> {
    const b = await this.#browser(profileId, nodeId);
    const started = Date.now();
    let ok = false;
    try {
      const result = await act(b);
      ok = true;
      return result;
    } finally {
      this.options.audit.record({
        time: new Date(started).toISOString(),
        profileId,
        node: b.connection.target.label,
        command: commandLine(['sftp', ...what]),
        exitCode: ok ? 0 : 1,
        durationMs: Date.now() - started,
        purpose,
      });
    }
  }

  list(profileId: string, nodeId: string, path: string): Promise<RemoteListing> {
    return this.#act(profileId, nodeId, ['ls', path], 'files: list', (b) => listFolder(b.sftp, b.connection.target.label, path));
  }

  async mkdir(profileId: string, nodeId: string, path: string): Promise<null> {
    await this.#act(profileId, nodeId, ['mkdir', path], 'files: create folder', (b) => makeFolder(b.sftp, b.connection.target.label, path));
    return null;
  }

  async rename(profileId: string, nodeId: string, from: string, to: string): Promise<null> {
    await this.#act(profileId, nodeId, ['rename', from, to], 'files: rename', (b) =>
      renameEntry(b.sftp, b.connection.target.label, from, to),
    );
    return null;
  }

  async chmod(profileId: string, nodeId: string, path: string, mode: number): Promise<null> {
    const octal = mode.toString(8).padStart(4, '0');
    await this.#act(profileId, nodeId, ['chmod', octal, path], 'files: permissions', (b) =>
      changeMode(b.sftp, b.connection.target.label, path, mode),
    );
    return null;
  }

  async remove(profileId: string, nodeId: string, path: string, recursiveConfirm: string | undefined): Promise<null> {
    await this.#act(profileId, nodeId, ['rm', path], 'files: delete', (b) => {
      const label = b.connection.target.label;
      return removeEntry(b.sftp, label, path, recursiveConfirm, async (tree) => {
        await runOk(this.#session(profileId, b.connection), ['rm', '-rf', '--', tree], `rm -rf ${tree}`, {
          purpose: 'files: delete folder and contents (confirmed)',
        });
      });
    });
    return null;
  }

  readText(profileId: string, nodeId: string, path: string): Promise<RemoteText> {
    return this.#act(profileId, nodeId, ['get', path], 'files: open in editor', (b) => readText(b.sftp, b.connection.target.label, path));
  }

  writeText(profileId: string, nodeId: string, path: string, content: string, baseSha256: string): Promise<WriteTextResult> {
    return this.#act(profileId, nodeId, ['put', path], 'files: save from editor (atomic)', (b) =>
      writeText(b.sftp, b.connection.target.label, path, content, baseSha256),
    );
  }

  /** Starts downloading a file or a folder (recursively) into `localFolder`. */
  async download(request: { profileId: string; nodeId: string; remotePath: string; localFolder: string }): Promise<{ jobId: string }> {
    const localFolder = expandHome(request.localFolder);
    await localFolderOk(localFolder);
    return this.#start('download', request.profileId, request.nodeId, async (session, sftp, job) => {
      const label = session.label;
      const root = await sftpCall<Stats>(label, L('reading', '读取'), request.remotePath, (cb) => sftp.stat(request.remotePath, cb));
      const top = posix.basename(request.remotePath) || 'root';
      const items: Item[] = [];
      const dirs: string[] = [];
      if (kindOf(root.mode) === 'dir') {
        dirs.push(top);
        await walkRemote(sftp, label, request.remotePath, top, items, dirs, job.abort.signal);
      } else {
        items.push({ rel: top, size: root.size });
      }
      for (const d of dirs) await mkdir(join(localFolder, d), { recursive: true });
      await this.#each(job, items, (item, onBytes) =>
        downloadFile(session, posix.join(posix.dirname(request.remotePath), item.rel), item.size, join(localFolder, item.rel), {
          signal: job.abort.signal,
          onBytes,
        }).then((r) => r.resumedFrom),
      );
    });
  }

  /** Starts uploading a local file or folder (recursively) into `remoteFolder`. */
  async upload(request: { profileId: string; nodeId: string; localPath: string; remoteFolder: string }): Promise<{ jobId: string }> {
    const localPath = expandHome(request.localPath);
    const top = await stat(localPath).catch(() => null);
    if (!top || !(top.isFile() || top.isDirectory())) {
      const why = L(`${request.localPath} is no file or folder on this computer.`, `${request.localPath} 不是本机上的文件或文件夹。`);
      throw new ApiError({ code: 'invalid_input', message: why, issues: [{ path: 'localPath', message: why }] });
    }
    return this.#start('upload', request.profileId, request.nodeId, async (session, _sftp, job) => {
      const name = basename(localPath);
      const items: Item[] = [];
      const dirs: string[] = [];
      if (top.isDirectory()) {
        dirs.push(name);
        await walkLocal(localPath, name, items, dirs);
      } else {
        items.push({ rel: name, size: top.size });
      }
      const remoteDirs = dirs.map((d) => posix.join(request.remoteFolder, ...d.split(/[\\/]/)));
      for (let i = 0; i < remoteDirs.length; i += 100) {
        await runOk(session, ['mkdir', '-p', '--', ...remoteDirs.slice(i, i + 100)], 'mkdir -p', {
          purpose: 'files: create folders for upload',
        });
      }
      const parent = join(localPath, '..');
      await this.#each(job, items, (item, onBytes) =>
        uploadFile(session, join(parent, item.rel), posix.join(request.remoteFolder, ...item.rel.split(/[\\/]/)), {
          signal: job.abort.signal,
          progressIntervalMs: 0,
          onProgress: (p) => onBytes(p.bytes),
        }).then((r) => r.resumedFrom),
      );
    });
  }

  /** Moves the items one after the other, the job's progress summing them. `move` answers the bytes resumed. */
  async #each(job: Job, items: readonly Item[], move: (item: Item, onBytes: (bytes: number) => void) => Promise<number>): Promise<void> {
    const total = items.reduce((n, i) => n + i.size, 0);
    const meter = new RateMeter(total);
    let before = 0;
    let last = 0;
    const interval = this.options.progressIntervalMs ?? 100;
    this.#set(job, { fileCount: items.length, total });
    for (const [k, item] of items.entries()) {
      if (job.abort.signal.aborted) throw cancelled(job.state.current);
      this.#set(job, { current: item.rel, files: k });
      const resumed = await move(item, (bytes) => {
        const now = performance.now();
        if (now - last < interval && bytes < item.size) return;
        last = now;
        this.#set(job, { ...meter.sample(before + bytes) });
      });
      before += item.size;
      this.#set(job, { files: k + 1, resumed: job.state.resumed + resumed, ...meter.sample(before) });
    }
  }

  #start(
    direction: FilesJobState['direction'],
    profileId: string,
    nodeId: string,
    work: (session: RemoteSession, sftp: SFTPWrapper, job: Job) => Promise<void>,
  ): { jobId: string } {
    const jobId = `f${randomBytes(8).toString('hex')}`;
    let finish!: (s: FilesJobState) => void;
    const job: Job = {
      state: {
        jobId,
        direction,
        status: 'running',
        current: '',
        files: 0,
        fileCount: 0,
        bytes: 0,
        total: 0,
        resumed: 0,
        rateBps: 0,
        etaSeconds: null,
      },
      listeners: new Set(),
      abort: new AbortController(),
      done: new Promise((r) => (finish = r)),
    };
    this.#jobs.set(jobId, job);
    void (async () => {
      let connection: SshConnection | null = null;
      try {
        connection = await this.options.pool.open(profileId, nodeId);
        const session = this.#session(profileId, connection);
        const sftp = await openSftp(session);
        try {
          await work(session, sftp, job);
        } finally {
          sftp.end();
        }
        this.#set(job, { status: 'done', rateBps: 0, etaSeconds: 0 });
      } catch (error) {
        const label = connection?.target.label ?? nodeId;
        const aborted = job.abort.signal.aborted;
        this.#set(job, {
          status: aborted ? 'cancelled' : 'failed',
          rateBps: 0,
          etaSeconds: null,
          error: (aborted ? cancelled(label).toApiError() : toApiError(error, label)).toData(),
        });
      } finally {
        connection?.close();
        job.listeners.clear();
        finish(job.state);
        // Kept a while for a late subscriber, then forgotten.
        setTimeout(() => this.#jobs.delete(jobId), 10 * 60_000).unref();
      }
    })();
    return { jobId };
  }

  #set(job: Job, patch: Partial<FilesJobState>): void {
    job.state = { ...job.state, ...patch };
    for (const l of job.listeners) l(job.state);
  }

  /** The job's state now, then each change until it ends; null for an unknown job. Returns the unsubscribe. */
  subscribe(jobId: string, listener: (s: FilesJobState) => void): (() => void) | null {
    const job = this.#jobs.get(jobId);
    if (!job) return null;
    listener(job.state);
    if (job.state.status !== 'running') return () => undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  cancel(jobId: string): boolean {
    const job = this.#jobs.get(jobId);
    if (!job || job.state.status !== 'running') return false;
    job.abort.abort();
    return true;
  }

  /** Resolves with the final state (tests, CLI). */
  wait(jobId: string): Promise<FilesJobState> | null {
    return this.#jobs.get(jobId)?.done ?? null;
  }

  #session(profileId: string, c: SshConnection): RemoteSession {
    return auditedSession(this.options, profileId, c);
  }

  closeAll(): void {
    for (const pending of this.#browsers.values())
      pending.then(
        (b) => b.connection.close(),
        () => undefined,
      );
    this.#browsers.clear();
    for (const job of this.#jobs.values()) job.abort.abort();
  }
}

async function localFolderOk(folder: string): Promise<void> {
  const s = await stat(folder).catch(() => null);
  if (s?.isDirectory()) return;
  const why = L(
    `${folder} is no folder on this computer; choose an existing folder.`,
    `${folder} 不是本机上的文件夹，请选择一个已存在的文件夹。`,
  );
  throw new ApiError({ code: 'invalid_input', message: why, issues: [{ path: 'localFolder', message: why }] });
}

async function walkRemote(
  sftp: SFTPWrapper,
  label: string,
  path: string,
  rel: string,
  items: Item[],
  dirs: string[],
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) throw cancelled(label);
  const list = await sftpCall<FileEntryWithStats[]>(label, L('listing the folder', '列出文件夹'), path, (cb) => sftp.readdir(path, cb));
  for (const e of list) {
    if (e.filename === '.' || e.filename === '..') continue;
    const kind = kindOf(e.attrs.mode);
    const childRel = posix.join(rel, e.filename);
    // Links are not followed: a link to / would copy the node. Only files and folders travel.
    if (kind === 'file') items.push({ rel: childRel, size: e.attrs.size });
    else if (kind === 'dir') {
      dirs.push(childRel);
      await walkRemote(sftp, label, posix.join(path, e.filename), childRel, items, dirs, signal);
    }
  }
}

async function walkLocal(path: string, rel: string, items: Item[], dirs: string[]): Promise<void> {
  for (const e of await readdir(path, { withFileTypes: true })) {
    const full = join(path, e.name);
    const childRel = join(rel, e.name);
    if (e.isFile()) items.push({ rel: childRel, size: (await stat(full)).size });
    else if (e.isDirectory()) {
      dirs.push(childRel);
      await walkLocal(full, childRel, items, dirs);
    }
  }
}
