/**
 * Relay: the desktop uploads once to the first node, which copies the file to the others inside
 * the network, all at once. For the copy the core makes a short-lived ed25519 key pair:
 *
 * - its public key goes into each target's `~/.ssh/authorized_keys`, restricted with
 *   `from="<first node's addresses>",no-pty,no-agent-forwarding,no-X11-forwarding,no-port-forwarding`
 *   and a comment unique to this transfer;
 * - its private key (mode 600) and a known_hosts with the targets' host keys as the app knows them
 *   go into a fresh temporary directory on the first node, so the first node's `ssh` runs with
 *   `StrictHostKeyChecking=yes`, that known_hosts only, and that key only;
 * - the first node streams the file with `ssh target 'cat > <partial>' < file`; the core then checks
 *   sha256 on the target over its own connection and moves the file into place;
 * - whatever happens, the key lines are removed from every target and the directory from the first
 *   node (`finally`), and each node's result says whether its cleanup succeeded.
 *
 * A failure on one target fails that target only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { KnownHosts } from '../ssh/known-hosts';
import { commandLine } from '../ssh/quote';
import { toApiError, TransferError, cancelled } from './errors';
import { RateMeter, type RateSample } from './progress';
import { relayKey, targetLines, type RelayAddress } from './relay-key';
import { BIND_PROBE, COPY, COPY_FOLLOW, INSTALL_KEY, receiveCommand, relaySshArgs, REMOVE_KEY, SETUP_SOURCE } from './relay-scripts';
import { openSftp, remoteSha256, runOk, sftpStat, type RemoteSession } from './remote';
import type { SourceFeed } from './source-feed';
import type { ApiError } from '../../../shared/errors';

export { RELAY_COMMENT_PREFIX } from './relay-key';
export { SourceFeed } from './source-feed';

export interface RelayTarget extends RelayAddress {
  readonly id: string;
  /** The target's own connection (key install, checks, cleanup). */
  readonly session: RemoteSession;
}

export type RelayNodeStatus = 'pending' | 'unchanged' | 'copying' | 'verifying' | 'done' | 'failed' | 'cancelled';

export interface RelayNodeEvent extends RateSample {
  readonly id: string;
  readonly status: RelayNodeStatus;
  readonly error?: ApiError;
}

export interface RelayNodeResult {
  readonly id: string;
  readonly status: 'done' | 'unchanged' | 'failed' | 'cancelled';
  readonly error?: ApiError;
  /** The temporary key was removed from this node's authorized_keys (true when it was never installed). */
  readonly keyRemoved: boolean;
}

export interface RelayOptions {
  /** The first node, which holds `sourcePath` already (verified). */
  readonly source: RemoteSession;
  /** Addresses the targets see the first node connect from (`from=` of the key); the first is used as ssh's BindAddress when the node has it. */
  readonly sourceAddresses: readonly string[];
  readonly sourcePath: string;
  readonly remotePath: string;
  readonly size: number;
  /** The local file's sha256 (may still be computing). */
  readonly sha256: string | Promise<string>;
  /** Copy while the first node is still receiving (relay starts with the upload). */
  readonly feed?: SourceFeed;
  readonly targets: readonly RelayTarget[];
  /** The app's known_hosts: the targets' keys are taken from it. */
  readonly knownHosts: KnownHosts;
  readonly signal?: AbortSignal;
  readonly onEvent?: (e: RelayNodeEvent) => void;
  /** A name unique to this transfer, put in the key comment. */
  readonly transferId?: string;
  readonly mode?: number;
}

export async function relayFile(options: RelayOptions): Promise<RelayNodeResult[]> {
  const { source, targets, signal, feed } = options;
  const id = options.transferId ?? randomBytes(6).toString('hex');
  const { comment, privateKey, authorizedKey } = relayKey(id, options.sourceAddresses);
  const part = posix.join(
    posix.dirname(options.remotePath),
    `.${posix.basename(options.remotePath)}.${createHash('sha256').update(comment).digest('hex').slice(0, 12)}.harbor-relay`,
  );
  const localSha = Promise.resolve(options.sha256);
  localSha.catch(() => undefined);

  const emit = (e: RelayNodeEvent) => options.onEvent?.(e);
  const blank = (tid: string, status: RelayNodeStatus, bytes = 0, error?: ApiError): RelayNodeEvent => ({
    id: tid,
    status,
    bytes,
    total: options.size,
    rateBps: 0,
    etaSeconds: null,
    ...(error ? { error } : {}),
  });

  const installed = new Set<string>();
  const results = new Map<string, RelayNodeResult>();
  const fail = (t: RelayTarget, error: unknown) => {
    const e = signal?.aborted ? cancelled(t.session.label).toApiError() : toApiError(error, t.session.label);
    results.set(t.id, { id: t.id, status: signal?.aborted ? 'cancelled' : 'failed', error: e, keyRemoved: true });
    emit(blank(t.id, signal?.aborted ? 'cancelled' : 'failed', 0, e));
  };

  // The temporary directory on the first node (key + known_hosts of every target), made once.
  const known = targets.flatMap((t) => targetLines(options.knownHosts, t));
  let setup: Promise<string> | null = null;
  let sourceDir: string | null = null;
  let bindProbe: Promise<string> | null = null;
  const sourceReady = () =>
    (setup ??= runOk(source, ['sh', '-c', SETUP_SOURCE, 'sh', `${known.join('\n')}\n`], 'prepare the relay key', {
      stdin: privateKey,
      purpose: 'transfer relay: temporary key on the first node',
    }).then((r) => {
      const d = r.stdout.trim().split('\n').pop() ?? '';
      if (!d.startsWith('/')) throw new Error(`unexpected temporary directory "${r.stdout.trim()}"`);
      sourceDir = d;
      return d;
    }));

  try {
    await Promise.all(
      targets.map(async (t) => {
        try {
          if (await sameFile(t.session, options.remotePath, options.size, localSha, signal)) {
            results.set(t.id, { id: t.id, status: 'unchanged', keyRemoved: true });
            emit(blank(t.id, 'unchanged', options.size));
            return;
          }
          if (targetLines(options.knownHosts, t).length === 0) {
            throw new TransferError('relay_copy', t.session.label, {
              en: `${t.session.label}: the app does not know this host's key, so the first node could not verify it. Test the connection to this node first.`,
              'zh-CN': `${t.session.label}：应用尚未记录此主机的密钥，第一个节点无法校验它。请先测试到此节点的连接。`,
            });
          }
          if (signal?.aborted) throw cancelled(t.session.label);
          await runOk(t.session, ['sh', '-c', INSTALL_KEY, 'sh', authorizedKey], 'install the temporary relay key', {
            purpose: 'transfer relay: install temporary key',
          });
          installed.add(t.id);
          await copyTo(t, await sourceReady());
        } catch (error) {
          fail(t, error);
        }
      }),
    );
  } finally {
    // Remove the key everywhere it went and the directory on the first node, even after a failure.
    await Promise.all(
      targets.map(async (t) => {
        if (!installed.has(t.id)) return;
        const removed = await runOk(t.session, ['sh', '-c', REMOVE_KEY, 'sh', comment], 'remove the temporary relay key', {
          purpose: 'transfer relay: remove temporary key',
        }).then(
          () => true,
          () => false,
        );
        const r = results.get(t.id);
        if (r) results.set(t.id, { ...r, keyRemoved: removed });
        else
          results.set(t.id, {
            id: t.id,
            status: 'failed',
            keyRemoved: removed,
            error: toApiError(new Error('relay stopped'), t.session.label),
          });
      }),
    );
    await (setup as Promise<string> | null)?.catch(() => undefined);
    if (sourceDir)
      await source.run(['rm', '-rf', '--', sourceDir], { purpose: 'transfer relay: remove temporary key' }).catch(() => undefined);
  }
  return targets.map((t) => results.get(t.id)!);

  async function copyTo(t: RelayTarget, dir: string): Promise<void> {
    const label = t.session.label;
    const meter = new RateMeter(options.size);
    emit({ id: t.id, status: 'copying', ...meter.sample(0) });
    const parent = posix.dirname(options.remotePath);
    await runOk(t.session, ['mkdir', '-p', '--', parent], `mkdir -p ${parent}`, { purpose: 'transfer relay: create directory' });
    const remoteCommand = receiveCommand(part, options.mode ?? 0o644);
    const sshArgs = relaySshArgs(dir, t);
    // Progress: the size of the partial file on the target, polled over the target's own connection.
    const sftp = await openSftp(t.session).catch(() => null);
    let polling = true;
    const poll = (async () => {
      while (polling && sftp) {
        await new Promise((r) => setTimeout(r, 250));
        if (!polling) break;
        const s = await sftpStat(sftp, part, label).catch(() => null);
        if (s && polling) emit({ id: t.id, status: 'copying', ...meter.sample(s.size) });
      }
    })();
    let copied: { code: number | null; stderr: string };
    try {
      if (feed) await feed.started();
      if (feed && feed.state === 'failed') throw relaySourceFailed(label);
      if (feed && feed.part !== null && feed.state !== 'whole') {
        copied = await follow(feed, feed.part, sshArgs, remoteCommand, `transfer relay: copy to ${t.host} while uploading`);
        if ((await feed.ended()) !== 'complete') throw relaySourceFailed(label);
      } else {
        copied = await source.run(
          ['sh', '-c', COPY, 'sh', options.sourcePath, options.sourceAddresses[0] ?? '', ...sshArgs, remoteCommand],
          {
            purpose: `transfer relay: copy to ${t.host}`,
            ...(signal ? { signal } : {}),
          },
        );
      }
    } catch (error) {
      await t.session.run(['rm', '-f', '--', part], { purpose: 'transfer relay: remove partial copy' }).catch(() => undefined);
      throw error;
    } finally {
      polling = false;
      await poll;
      sftp?.end();
    }
    if (signal?.aborted) {
      await t.session.run(['rm', '-f', '--', part], { purpose: 'transfer relay: remove partial copy' }).catch(() => undefined);
      throw cancelled(label);
    }
    if (copied.code !== 0) {
      await t.session.run(['rm', '-f', '--', part], { purpose: 'transfer relay: remove partial copy' }).catch(() => undefined);
      const detail = copied.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
      throw new TransferError('relay_copy', label, {
        en: `${label}: the copy from ${source.label} failed (exit ${copied.code ?? 'none'})${detail ? `: ${detail}` : ''}.`,
        'zh-CN': `${label}：从 ${source.label} 复制失败（退出码 ${copied.code ?? '无'}）${detail ? `：${detail}` : ''}。`,
      });
    }
    emit({ id: t.id, status: 'verifying', ...meter.sample(options.size) });
    const [sum, expected] = await Promise.all([remoteSha256(t.session, part, signal), localSha]);
    if (sum !== expected) {
      await t.session.run(['rm', '-f', '--', part], { purpose: 'transfer relay: remove corrupt copy' }).catch(() => undefined);
      throw new TransferError('checksum_mismatch', label, {
        en: `${label}: the relayed copy has sha256 ${sum}, expected ${expected}. It was removed; try again.`,
        'zh-CN': `${label}：中转得到的副本 sha256 为 ${sum}，应为 ${expected}。已删除，请重试。`,
      });
    }
    await runOk(t.session, ['mv', '-f', '--', part, options.remotePath], `mv ${part} ${options.remotePath}`, {
      purpose: 'transfer relay: move into place',
    });
    results.set(t.id, { id: t.id, status: 'done', keyRemoved: false });
    emit({ id: t.id, status: 'done', ...meter.sample(options.size) });
  }

  /** Streams the growing part file from the first node to a target as the upload acknowledges it. */
  async function follow(
    f: SourceFeed,
    path: string,
    sshArgs: readonly string[],
    remoteCommand: string,
    purpose: string,
  ): Promise<{ code: number | null; stderr: string }> {
    const bind = await bindAddress(sshArgs);
    const argv = ['sh', '-c', COPY_FOLLOW, 'sh', path, options.sourcePath, bind, ...sshArgs, remoteCommand];
    const started = performance.now();
    return new Promise((resolve, reject) => {
      source.client.exec(commandLine(argv), (error, channel) => {
        if (error)
          return reject(
            new TransferError('relay_copy', source.label, {
              en: `${source.label}: ${error.message}`,
              'zh-CN': `${source.label}：${error.message}`,
            }),
          );
        let stderr = '';
        let code: number | null = null;
        let sent = 0;
        let ended = false;
        const pump = () => {
          if (ended) return;
          if (f.contiguous > sent) {
            channel.write(`${f.contiguous - sent}\n`);
            sent = f.contiguous;
          }
          // All bytes passed on: the copy can finish while the first node still verifies its own.
          if (f.state === 'complete' || sent >= options.size) {
            ended = true;
            channel.end();
          } else if (f.state === 'failed' || f.state === 'whole' || signal?.aborted) {
            ended = true;
            channel.close();
          }
        };
        const off = f.on(pump);
        const abort = () => channel.close();
        signal?.addEventListener('abort', abort, { once: true });
        channel.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        channel.on('data', () => undefined);
        channel.on('exit', (c: number | null) => (code = c));
        channel.once('close', () => {
          off();
          signal?.removeEventListener('abort', abort);
          source.record?.(argv, code, performance.now() - started, purpose);
          resolve({ code, stderr });
        });
        pump();
      });
    });
  }

  /** The first node's own address to connect from (so `from=` matches), unless it cannot bind it (NAT). */
  function bindAddress(sshArgs: readonly string[]): Promise<string> {
    const addr = options.sourceAddresses[0] ?? '';
    if (!addr) return Promise.resolve('');
    // The probe is the real connection (the relay key, the strict known_hosts) running `true`.
    return (bindProbe ??= source
      .run(['sh', '-c', BIND_PROBE, 'sh', addr, ...sshArgs], {
        purpose: 'transfer relay: can the first node connect from its own address',
        timeoutMs: 20_000,
      })
      .then(
        (r) => (/assign requested address/i.test(r.stdout) ? '' : addr),
        () => addr,
      ));
  }
}

function relaySourceFailed(label: string): TransferError {
  return new TransferError('relay_source', label, {
    en: `${label}: not copied, because the first node did not receive the whole file.`,
    'zh-CN': `${label}：未复制，因为第一个节点没有收到完整文件。`,
  });
}

/** Does the node already hold this exact file? */
export async function sameFile(
  session: RemoteSession,
  path: string,
  size: number,
  sha256: string | Promise<string>,
  signal?: AbortSignal,
): Promise<boolean> {
  const sftp = await openSftp(session);
  try {
    const s = await sftpStat(sftp, path, session.label);
    if (!s || (s.mode & 0o170000) !== 0o100000 || s.size !== size) return false;
  } finally {
    sftp.end();
  }
  const [theirs, mine] = await Promise.all([remoteSha256(session, path, signal), sha256]);
  return theirs === mine;
}
