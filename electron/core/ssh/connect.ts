/**
 * Opens verified SSH connections: one node-ssh `NodeSSH` per hop (it wraps an ssh2 Client). The
 * host key is judged against known_hosts (and the profile's expected fingerprint) inside ssh2's
 * hostVerifier, before authentication, so a changed key means no credential is sent. Jump hosts
 * are reached one through the other (ProxyJump style) and verified the same way.
 */
import { readFile } from 'node:fs/promises';
import { NodeSSH, SSHError, type Config } from 'node-ssh';
import type { Client } from 'ssh2';
import { SshError, classify } from './errors';
import { decideHostKey } from './host-key-decision';
import { fingerprint, keyTypeOf, type KnownHosts } from './known-hosts';

export type SshAuth =
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'key'; readonly keyPath: string; readonly passphrase?: string }
  | { readonly kind: 'agent'; readonly socket?: string };

export interface SshHop {
  /** How messages name this host, e.g. `node-1 (192.168.10.10)`. */
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: SshAuth;
  /** `SHA256:…` the profile expects, if any. */
  readonly expectedFingerprint?: string;
}

export interface SshTarget extends SshHop {
  /** Hops before the target, first to last. */
  readonly jumps?: readonly SshHop[];
  /** The address the other nodes reach this one at inside the network (its sshd on port 22 there). */
  readonly privateHost?: string;
}

export interface UnknownHostKey {
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly fingerprint: string;
  readonly keyType: string;
}

export interface ConnectOptions {
  readonly knownHosts: KnownHosts;
  /** Told every key a host presented that was not trusted, so the operator can accept it later. */
  readonly onUntrustedKey?: (info: UnknownHostKey & { readonly key: Buffer }) => void;
  /** Asked when a host is not in known_hosts and the profile has no fingerprint; true records and trusts it. */
  readonly onUnknownHostKey?: (info: UnknownHostKey) => Promise<boolean>;
  /** Time for TCP + handshake + authentication, per hop. Default 10 s. */
  readonly readyTimeoutMs?: number;
  /** Default 15 s, and 3 unanswered keepalives end the connection. */
  readonly keepaliveIntervalMs?: number;
  /** Called for every secret used (the password or passphrase), for the log redactor. */
  readonly onSecret?: (value: string) => void;
}

/** A verified, authenticated connection; closing it closes the jump chain too. */
export interface SshConnection {
  /** Commands (`execArgv`) and SFTP go through node-ssh. */
  readonly ssh: NodeSSH;
  /**
   * The same connection's raw ssh2 Client, for what node-ssh has no API for: a PTY shell with our
   * own flow control (terminal/), the streamed upload hashed on the node as it lands (transfer/),
   * TCP channels to services near the node (probe/). It stays this object after the connection
   * ends (node-ssh forgets its own then), so listeners on 'close' keep working.
   */
  readonly client: Client;
  readonly target: SshTarget;
  readonly fingerprint: string;
  close(): void;
}

async function authConfig(hop: SshHop, onSecret?: (v: string) => void): Promise<Partial<Config>> {
  const a = hop.auth;
  if (a.kind === 'password') {
    onSecret?.(a.password);
    return { password: a.password, tryKeyboard: true };
  }
  if (a.kind === 'key') {
    // Read here rather than through node-ssh's privateKeyPath, so a missing file names its path.
    let privateKey: string;
    try {
      privateKey = await readFile(a.keyPath.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'), 'utf8');
    } catch (error) {
      throw new SshError('key_file', hop.label, {
        cause: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${a.keyPath} does not exist` : (error as Error).message,
      });
    }
    if (a.passphrase) onSecret?.(a.passphrase);
    return { privateKey, ...(a.passphrase ? { passphrase: a.passphrase } : {}) };
  }
  const socket = a.socket ?? process.env.SSH_AUTH_SOCK;
  if (!socket) throw new SshError('agent', hop.label);
  return { agent: socket };
}

const ignoreError = () => undefined;

/**
 * node-ssh listens for the Client's 'error' only until the connection is ready, and ssh2 may report
 * more than one error (a keepalive timeout, then the lost connection): an 'error' without a
 * listener would crash the process, so one stays attached for the connection's life.
 */
function keepErrorsHandled(client: Client | null): void {
  if (client && !client.listeners('error').includes(ignoreError)) client.on('error', ignoreError);
}

/** What node-ssh or ssh2 reported while connecting, as one cause. */
function connectError(error: unknown, label: string): SshError {
  // node-ssh's own SSHError at this stage means the server closed the connection before it was
  // ready (it words it "No response from server" with code ETIMEDOUT, but nothing timed out).
  if (error instanceof SSHError) return new SshError('disconnected', label);
  // ssh2 throws while reading the key: a wrong or missing passphrase, or a file that is no key.
  if (error instanceof Error && /^Cannot parse privateKey|does not contain a \(valid\) private key/.test(error.message)) {
    return new SshError('key_file', label, { cause: error.message.replace(/^Cannot parse privateKey: /, '') });
  }
  return classify(error, label);
}

interface Hop {
  readonly ssh: NodeSSH;
  readonly client: Client;
  readonly fingerprint: string;
}

/** Connects one hop over `sock` (a forwarded channel) or TCP. */
async function connectHop(hop: SshHop, options: ConnectOptions, sock?: NodeJS.ReadableStream): Promise<Hop> {
  const auth = await authConfig(hop, options.onSecret);
  let verdict: SshError | null = null;
  let seen = '';

  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void) => {
    seen = fingerprint(key);
    const keyType = keyTypeOf(key);
    const decision = decideHostKey(options.knownHosts.verify(hop.host, hop.port, key), hop.expectedFingerprint, seen);
    if (decision.kind === 'refuse') {
      const knownHostsLines =
        decision.code === 'host_key_changed' ? decision.entries.map((l) => `${l.file}:${l.line}: ${l.text.trim()}`) : [];
      verdict = new SshError(decision.code, hop.label, {
        fingerprint: seen,
        keyType,
        ...(knownHostsLines.length ? { knownHostsLines } : {}),
      });
      return verify(false);
    }
    if (decision.kind === 'trust') return verify(true);
    // Unknown host: trusted when the profile names this very key, or when the operator says so.
    if (decision.kind === 'trust_and_record') {
      options.knownHosts.add(hop.host, hop.port, key);
      return verify(true);
    }
    const ask = options.onUnknownHostKey;
    if (!ask) {
      verdict = new SshError('host_key_unknown', hop.label, { fingerprint: seen, keyType });
      options.onUntrustedKey?.({ label: hop.label, host: hop.host, port: hop.port, fingerprint: seen, keyType, key });
      return verify(false);
    }
    ask({ label: hop.label, host: hop.host, port: hop.port, fingerprint: seen, keyType }).then(
      (ok) => {
        if (ok) options.knownHosts.add(hop.host, hop.port, key);
        else verdict = new SshError('host_key_unknown', hop.label, { fingerprint: seen, keyType });
        verify(ok);
      },
      () => {
        verdict = new SshError('host_key_unknown', hop.label, { fingerprint: seen, keyType });
        verify(false);
      },
    );
  };

  const ssh = new NodeSSH();
  const connecting = ssh.connect({
    host: hop.host,
    port: hop.port,
    username: hop.user,
    ...(sock ? { sock: sock as never } : {}),
    readyTimeout: options.readyTimeoutMs ?? 10_000,
    keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: 3,
    hostVerifier,
    // Keyboard-interactive servers asking for "Password:" get the password, nothing else.
    onKeyboardInteractive: (_name, _instr, _lang, prompts, finish) => {
      finish(prompts.map((p) => (hop.auth.kind === 'password' && /password/i.test(p.prompt) ? hop.auth.password : '')));
    },
    ...auth,
  });
  // node-ssh creates its Client before its first await (we give it the key itself, not a path).
  const client = ssh.connection;
  keepErrorsHandled(client);
  try {
    await connecting;
  } catch (error) {
    ssh.dispose();
    throw verdict ?? connectError(error, hop.label);
  }
  keepErrorsHandled(ssh.connection);
  return { ssh, client: client ?? ssh.connection!, fingerprint: seen };
}

/** Opens a forwarded channel from `via` to the next hop. */
async function forward(via: NodeSSH, hop: SshHop, viaLabel: string): Promise<NodeJS.ReadableStream> {
  try {
    return await via.forwardOut('127.0.0.1', 0, hop.host, hop.port);
  } catch (error) {
    const reason = (error as { reason?: number }).reason;
    // RFC 4254 reason 2: connect failed on the jump host's side.
    throw reason === 2 || /refused/i.test((error as Error).message)
      ? new SshError('refused', `${hop.label} via ${viaLabel}`)
      : classify(error, hop.label);
  }
}

/** Connects to the target through its jump hosts, verifying every host key first. */
export async function connect(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const chain: NodeSSH[] = [];
  const closeAll = () => {
    for (const ssh of [...chain].reverse()) ssh.dispose();
  };
  try {
    const hops: SshHop[] = [...(target.jumps ?? []), target];
    let last: Hop | undefined;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i]!;
      const sock = i > 0 ? await forward(chain[i - 1]!, hop, hops[i - 1]!.label) : undefined;
      last = await connectHop(hop, options, sock);
      chain.push(last.ssh);
    }
    return { ssh: last!.ssh, client: last!.client, target, fingerprint: last!.fingerprint, close: closeAll };
  } catch (error) {
    closeAll();
    throw error;
  }
}
