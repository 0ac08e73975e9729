/**
 * Opens verified SSH connections with ssh2: the host key is judged against known_hosts (and the
 * profile's expected fingerprint) inside ssh2's hostVerifier, before authentication, so a changed
 * key means no credential is sent. Jump hosts are reached one through the other (ProxyJump style)
 * and verified the same way.
 */
import { readFile } from 'node:fs/promises';
import { Client, type ConnectConfig } from 'ssh2';
import { SshError, classify } from './errors';
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
  readonly client: Client;
  readonly target: SshTarget;
  readonly fingerprint: string;
  close(): void;
}

async function authConfig(hop: SshHop, onSecret?: (v: string) => void): Promise<Partial<ConnectConfig>> {
  const a = hop.auth;
  if (a.kind === 'password') {
    onSecret?.(a.password);
    return { password: a.password, tryKeyboard: true };
  }
  if (a.kind === 'key') {
    let privateKey: Buffer;
    try {
      privateKey = await readFile(a.keyPath.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'));
    } catch (error) {
      throw new SshError('key_file', hop.label, { cause: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${a.keyPath} does not exist` : (error as Error).message });
    }
    if (a.passphrase) onSecret?.(a.passphrase);
    return { privateKey, ...(a.passphrase ? { passphrase: a.passphrase } : {}) };
  }
  const socket = a.socket ?? process.env.SSH_AUTH_SOCK;
  if (!socket) throw new SshError('agent', hop.label);
  return { agent: socket };
}

/** Connects one hop over `sock` (a forwarded channel) or TCP. */
function connectHop(hop: SshHop, options: ConnectOptions, sock?: NodeJS.ReadableStream): Promise<{ client: Client; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let verdict: SshError | null = null;
    let seen = '';
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(verdict ?? classify(error, hop.label));
    };

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void) => {
      seen = fingerprint(key);
      const keyType = keyTypeOf(key);
      const result = options.knownHosts.verify(hop.host, hop.port, key);
      const expected = hop.expectedFingerprint;
      if (result.kind === 'revoked') {
        verdict = new SshError('host_key_revoked', hop.label, { fingerprint: seen, keyType });
        return verify(false);
      }
      if (result.kind === 'mismatch') {
        verdict = new SshError('host_key_changed', hop.label, {
          fingerprint: seen,
          keyType,
          knownHostsLines: result.entries.map((l) => `${l.file}:${l.line}: ${l.text.trim()}`),
        });
        return verify(false);
      }
      if (expected && expected !== seen) {
        verdict = new SshError('host_key_profile_mismatch', hop.label, { fingerprint: seen, keyType });
        return verify(false);
      }
      if (result.kind === 'match') return verify(true);
      // Unknown host: trusted when the profile names this very key, or when the operator says so.
      if (expected === seen) {
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

    client.once('ready', () => {
      settled = true;
      resolve({ client, fingerprint: seen });
    });
    // Stays attached for the connection's life: ssh2 may report more than one error (e.g. a timeout,
    // then the lost connection), and an 'error' without a listener would crash the process.
    client.on('error', fail);
    client.once('close', () => fail(new SshError('disconnected', hop.label)));
    // Keyboard-interactive servers asking for "Password:" get the password, nothing else.
    client.on('keyboard-interactive', (_name, _instr, _lang, prompts, finish) => {
      finish(prompts.map((p) => (hop.auth.kind === 'password' && /password/i.test(p.prompt) ? hop.auth.password : '')));
    });

    authConfig(hop, options.onSecret).then(
      (auth) => {
        if (settled) return;
        client.connect({
          host: hop.host,
          port: hop.port,
          username: hop.user,
          ...(sock ? { sock: sock as never } : {}),
          readyTimeout: options.readyTimeoutMs ?? 10_000,
          keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
          keepaliveCountMax: 3,
          hostVerifier,
          ...auth,
        });
      },
      (error: unknown) => fail(error),
    );
  });
}

/** Opens a forwarded channel from `via` to the next hop. */
function forward(via: Client, hop: SshHop, viaLabel: string): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.host, hop.port, (error, stream) => {
      if (error) {
        const reason = (error as { reason?: number }).reason;
        // RFC 4254 reason 2: connect failed on the jump host's side.
        reject(reason === 2 || /refused/i.test(error.message) ? new SshError('refused', `${hop.label} via ${viaLabel}`) : classify(error, hop.label));
      } else resolve(stream);
    });
  });
}

/** Connects to the target through its jump hosts, verifying every host key first. */
export async function connect(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const chain: Client[] = [];
  const closeAll = () => {
    for (const c of chain.reverse()) c.end();
  };
  try {
    const hops: SshHop[] = [...(target.jumps ?? []), target];
    let sock: NodeJS.ReadableStream | undefined;
    let last: { client: Client; fingerprint: string } | undefined;
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i]!;
      if (i > 0) sock = await forward(chain[i - 1]!, hop, hops[i - 1]!.label);
      last = await connectHop(hop, options, sock);
      chain.push(last.client);
    }
    const client = last!.client;
    const all = [...chain];
    return {
      client,
      target,
      fingerprint: last!.fingerprint,
      close: () => {
        for (const c of all.reverse()) c.end();
      },
    };
  } catch (error) {
    closeAll();
    throw error;
  }
}
