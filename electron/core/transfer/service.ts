/**
 * Transfers as the API sees them: started by id, followed as per-node events, cancellable.
 * Every node gets an SSH connection of its own from the pool (never the shared command one,
 * never a terminal's); a dropped connection is retried and the upload resumes from the partial
 * file. Commands run through the pool so the audit log records them.
 */
import { randomBytes } from 'node:crypto';
import type { ApiErrorData } from '../../../shared/errors';
import type { TransferEvent, TransferMode, TransferNodeState } from '../../../shared/api/contracts/transfer';
import type { AuditLog } from '../audit';
import { SshError } from '../ssh/errors';
import type { KnownHosts } from '../ssh/known-hosts';
import type { SshPool } from '../ssh/pool';
import type { SshConnection } from '../ssh/connect';
import { auditedSession } from './audited-session';
import { cancelled, toApiError, TransferError } from './errors';
import { localFile, sha256FileInWorker, type LocalFile } from './local';
import { relayFile, SourceFeed } from './relay';
import type { RemoteSession } from './remote';
import { uploadFile, type UploadOptions, type UploadResult } from './upload';

export interface TransferRequest {
  readonly profileId: string;
  readonly nodeIds: readonly string[];
  readonly localPath: string;
  readonly remotePath: string;
  readonly mode: TransferMode;
}

export interface TransferServiceOptions {
  readonly pool: SshPool;
  readonly knownHosts: KnownHosts;
  readonly audit: AuditLog;
  /** Attempts per node when the connection drops (each resumes). Default 3. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  /** Passed to every upload (chunk size, concurrency), mainly for tests and benchmarks. */
  readonly upload?: Pick<UploadOptions, 'blockSize' | 'pollIntervalMs' | 'progressIntervalMs'>;
}

type Finished = Extract<TransferEvent, { kind: 'finished' }>;

interface Running {
  readonly id: string;
  readonly nodes: Map<string, TransferNodeState>;
  readonly listeners: Set<(e: TransferEvent) => void>;
  readonly abort: AbortController;
  finished: Finished | null;
  readonly done: Promise<Finished>;
  /** File bytes acknowledged in attempts that then failed. */
  sentFailed: number;
}

const TRANSIENT = new Set(['disconnected', 'timeout', 'refused', 'unreachable']);

export class TransferService {
  readonly #transfers = new Map<string, Running>();

  constructor(private readonly options: TransferServiceOptions) {}

  /** Checks the local file, then starts the transfer in the background. */
  async start(request: TransferRequest): Promise<{ transferId: string }> {
    const file = await localFile(request.localPath, 'localPath');
    const id = randomBytes(8).toString('hex');
    const abort = new AbortController();
    let resolveDone!: (f: Finished) => void;
    const running: Running = {
      id,
      nodes: new Map(),
      listeners: new Set(),
      abort,
      finished: null,
      done: new Promise((r) => (resolveDone = r)),
      sentFailed: 0,
    };
    for (const nodeId of request.nodeIds) {
      running.nodes.set(nodeId, {
        nodeId,
        label: nodeId,
        status: 'pending',
        bytes: 0,
        total: file.size,
        rateBps: 0,
        etaSeconds: null,
        resumedFrom: 0,
        attempt: 0,
      });
    }
    this.#transfers.set(id, running);
    const started = performance.now();
    void this.#run(running, request, file).then(({ sentBytes: sentOk, sha256 }) => {
      const sentBytes = sentOk + running.sentFailed;
      const nodes = [...running.nodes.values()];
      const ok = nodes.filter((n) => n.status === 'done' || n.status === 'unchanged').length;
      const status = abort.signal.aborted ? 'cancelled' : ok === nodes.length ? 'done' : ok === 0 ? 'failed' : 'partial';
      const finished: Finished = {
        kind: 'finished',
        transferId: id,
        status,
        nodes,
        sentBytes,
        sha256,
        durationMs: Math.round(performance.now() - started),
      };
      running.finished = finished;
      for (const l of running.listeners) l(finished);
      running.listeners.clear();
      resolveDone(finished);
      // Kept a while for late subscribers, then forgotten.
      setTimeout(() => this.#transfers.delete(id), 10 * 60_000).unref();
    });
    return { transferId: id };
  }

  /** Current state of every node, then each change, then the finish. Returns the unsubscribe. */
  subscribe(transferId: string, listener: (e: TransferEvent) => void): (() => void) | null {
    const t = this.#transfers.get(transferId);
    if (!t) return null;
    for (const node of t.nodes.values()) listener({ kind: 'node', transferId, node });
    if (t.finished) {
      listener(t.finished);
      return () => undefined;
    }
    t.listeners.add(listener);
    return () => t.listeners.delete(listener);
  }

  cancel(transferId: string): boolean {
    const t = this.#transfers.get(transferId);
    if (!t || t.finished) return false;
    t.abort.abort();
    return true;
  }

  /** Resolves when the transfer has finished (tests, CLI). */
  wait(transferId: string): Promise<Finished> | null {
    return this.#transfers.get(transferId)?.done ?? null;
  }

  #update(t: Running, nodeId: string, patch: Partial<TransferNodeState>): void {
    const node = { ...t.nodes.get(nodeId)!, ...patch };
    t.nodes.set(nodeId, node);
    for (const l of t.listeners) l({ kind: 'node', transferId: t.id, node });
  }

  #session(profileId: string, c: SshConnection): RemoteSession {
    return auditedSession(this.options, profileId, c);
  }

  /** Uploads to one node, reconnecting and resuming after a dropped connection. */
  async #uploadTo(
    t: Running,
    request: TransferRequest,
    nodeId: string,
    first?: SshConnection,
    extra: Pick<UploadOptions, 'onContiguous' | 'sha256'> = {},
  ): Promise<UploadResult> {
    const attempts = this.options.attempts ?? 3;
    const signal = t.abort.signal;
    let connection = first;
    for (let attempt = 1; ; attempt++) {
      let sentThisAttempt = 0;
      try {
        if (!connection) {
          this.#update(t, nodeId, { status: 'connecting', attempt });
          connection = await this.options.pool.open(request.profileId, nodeId);
        }
        const session = this.#session(request.profileId, connection);
        this.#update(t, nodeId, { label: session.label, attempt });
        return await uploadFile(session, request.localPath, request.remotePath, {
          ...this.options.upload,
          ...extra,
          signal,
          onProgress: (p) => {
            sentThisAttempt = p.sent;
            this.#update(t, nodeId, {
              status: p.phase,
              bytes: p.bytes,
              total: p.total,
              rateBps: p.rateBps,
              etaSeconds: p.etaSeconds,
              resumedFrom: p.resumedFrom,
            });
          },
        });
      } catch (error) {
        // Bytes of a failed attempt were still sent (the next attempt resumes after them).
        t.sentFailed += sentThisAttempt;
        if (signal.aborted) throw cancelled(t.nodes.get(nodeId)!.label);
        if (!(error instanceof SshError) || !TRANSIENT.has(error.code) || attempt >= attempts) throw error;
        await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 1000) * attempt));
      } finally {
        if (connection !== first) connection?.close();
        connection = undefined;
      }
    }
  }

  #failNode(t: Running, nodeId: string, error: unknown): void {
    const label = t.nodes.get(nodeId)!.label;
    const e: ApiErrorData = (t.abort.signal.aborted ? cancelled(label).toApiError() : toApiError(error, label)).toData();
    this.#update(t, nodeId, { status: t.abort.signal.aborted ? 'cancelled' : 'failed', error: e, rateBps: 0, etaSeconds: null });
  }

  async #run(t: Running, request: TransferRequest, file: LocalFile): Promise<{ sentBytes: number; sha256: string | null }> {
    let sentBytes = 0;
    let sha256: string | null = null;
    const done = (nodeId: string, r: UploadResult) => {
      sentBytes += r.sent;
      sha256 = r.sha256;
      this.#update(t, nodeId, {
        status: r.status === 'unchanged' ? 'unchanged' : 'done',
        bytes: r.size,
        total: r.size,
        rateBps: 0,
        etaSeconds: 0,
        sha256: r.sha256,
      });
    };

    if (request.mode === 'direct' || request.nodeIds.length === 1) {
      await Promise.all(
        request.nodeIds.map((nodeId) =>
          this.#uploadTo(t, request, nodeId).then(
            (r) => done(nodeId, r),
            (error: unknown) => this.#failNode(t, nodeId, error),
          ),
        ),
      );
      return { sentBytes, sha256 };
    }

    // Relay: connect to every node first (targets need their own connection for key and checks).
    const [sourceId, ...targetIds] = request.nodeIds as [string, ...string[]];
    const connections = new Map<string, SshConnection>();
    await Promise.all(
      request.nodeIds.map(async (nodeId) => {
        this.#update(t, nodeId, { status: 'connecting', attempt: 1, ...(nodeId === sourceId ? {} : { via: sourceId }) });
        try {
          const c = await this.options.pool.open(request.profileId, nodeId);
          connections.set(nodeId, c);
          this.#update(t, nodeId, { label: c.target.label });
        } catch (error) {
          this.#failNode(t, nodeId, error);
        }
      }),
    );
    try {
      if (!connections.has(sourceId)) throw new Error('first node unreachable');
      const source = connections.get(sourceId)!;
      const sourceSession = this.#session(request.profileId, source);
      const extra = await sourceSession
        .run(['hostname', '-I'], { purpose: 'transfer relay: addresses of the first node', timeoutMs: 10_000 })
        .catch(() => null);
      const addresses = [
        source.target.host,
        ...(extra?.code === 0
          ? extra.stdout
              .trim()
              .split(/\s+/)
              .filter((a) => /^[0-9a-fA-F.:]+$/.test(a))
          : []),
      ];
      const targets = targetIds
        .filter((id) => connections.has(id))
        .map((id) => {
          const c = connections.get(id)!;
          // Inside the network the first node reaches the others at their private address, when the profile has one.
          const inner = c.target.privateHost;
          return {
            id,
            session: this.#session(request.profileId, c),
            host: inner ?? c.target.host,
            port: inner ? 22 : c.target.port,
            user: c.target.user,
            ...(inner ? { knownAs: { host: c.target.host, port: c.target.port } } : {}),
          };
        });
      // The copies inside the network start with the upload and follow it (SourceFeed).
      const feed = new SourceFeed();
      const localSha = sha256FileInWorker(request.localPath, t.abort.signal);
      localSha.catch(() => undefined);
      const relaying = relayFile({
        source: sourceSession,
        sourceAddresses: [...new Set(addresses)],
        sourcePath: request.remotePath,
        remotePath: request.remotePath,
        size: file.size,
        sha256: localSha,
        feed,
        targets,
        knownHosts: this.options.knownHosts,
        signal: t.abort.signal,
        transferId: t.id,
        onEvent: (e) =>
          this.#update(t, e.id, {
            status: e.status === 'pending' ? 'pending' : e.status,
            bytes: e.bytes,
            rateBps: e.rateBps,
            etaSeconds: e.etaSeconds,
            ...(e.error ? { error: e.error.toData() } : {}),
          }),
      });
      let uploaded: UploadResult | null = null;
      try {
        uploaded = await this.#uploadTo(t, request, sourceId, source, { onContiguous: (part, n) => feed.push(part, n), sha256: localSha });
        feed.end(uploaded.status === 'unchanged' ? 'whole' : 'complete');
        done(sourceId, uploaded);
      } catch (error) {
        feed.end('failed');
        this.#failNode(t, sourceId, error);
      }
      const results = await relaying;
      const sum = uploaded?.sha256;
      for (const r of results) {
        this.#update(t, r.id, {
          status: r.status,
          keyRemoved: r.keyRemoved,
          ...(r.error ? { error: r.error.toData() } : {}),
          ...((r.status === 'done' || r.status === 'unchanged') && sum ? { sha256: sum, bytes: file.size } : {}),
        });
      }
    } catch (error) {
      // The first node failed: no target can get the file.
      for (const id of targetIds) {
        const s = t.nodes.get(id)!.status;
        if (s !== 'failed' && s !== 'cancelled') {
          const label = t.nodes.get(id)!.label;
          this.#failNode(
            t,
            id,
            t.abort.signal.aborted
              ? error
              : new TransferError('relay_source', label, {
                  en: `${label}: not copied, because the first node (${t.nodes.get(sourceId)!.label}) did not receive the file.`,
                  'zh-CN': `${label}：未复制，因为第一个节点（${t.nodes.get(sourceId)!.label}）没有收到文件。`,
                }),
          );
        }
      }
    } finally {
      for (const c of connections.values()) c.close();
    }
    return { sentBytes, sha256 };
  }
}
