/** SSH connections against real OpenSSH servers of the lab: host keys, auth, jump hosts, errors, quoting. */
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SshTarget } from '../../electron/core/ssh/connect';
import { SshError } from '../../electron/core/ssh/errors';
import { OUTPUT_CEILING, execArgv } from '../../electron/core/ssh/exec';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import * as lab from '../lab';

let l: lab.Lab;
let dir: string;

beforeAll(async () => {
  l = await lab.up({ nodes: 3, services: [] });
  dir = mkdtempSync(join(tmpdir(), 'ssh-test-'));
}, 180_000);

afterAll(async () => {
  await l?.down();
});

const target = (
  n: lab.LabNode,
  auth: SshTarget['auth'] = { kind: 'key', keyPath: n.privateKeyPath },
  extra: Partial<SshTarget> = {},
): SshTarget => ({
  label: n.name,
  host: n.address,
  port: n.port,
  user: 'root',
  auth,
  ...extra,
});

function knownHosts(name = randomBytes(4).toString('hex')) {
  return new KnownHosts(join(dir, `known_hosts-${name}`));
}

async function sshError(p: Promise<unknown>): Promise<SshError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SshError) return e;
    throw e;
  }
  throw new Error('expected an SshError');
}

describe('host keys', () => {
  it('refuses an unknown host without sending credentials, showing the fingerprint ssh-keygen -lf shows', async () => {
    const n = l.node(1);
    const before = (await n.authAttempts()).length;
    const e = await sshError(connect(target(n, { kind: 'password', password: n.password }), { knownHosts: knownHosts() }));
    expect(e.code).toBe('host_key_unknown');
    expect(e.detail.fingerprint).toBe(n.hostKeyFingerprint);
    expect(e.localized.en).toContain(n.hostKeyFingerprint);
    expect(e.localized['zh-CN']).toContain('未发送任何密码');
    expect((await n.authAttempts()).length).toBe(before);
  });

  it('trusts a host when the operator accepts, records it, and then knows it', async () => {
    const n = l.node(1);
    const kh = knownHosts();
    let asked = 0;
    const c1 = await connect(target(n), {
      knownHosts: kh,
      onUnknownHostKey: async (info) => {
        asked++;
        expect(info.fingerprint).toBe(n.hostKeyFingerprint);
        return true;
      },
    });
    c1.close();
    const c2 = await connect(target(n), { knownHosts: kh, onUnknownHostKey: async () => (asked++, false) });
    expect(c2.fingerprint).toBe(n.hostKeyFingerprint);
    c2.close();
    expect(asked).toBe(1);
  });

  it('trusts a host whose key matches the fingerprint in the profile, and refuses one that does not', async () => {
    const n = l.node(2);
    const ok = await connect(target(n, undefined, { expectedFingerprint: n.hostKeyFingerprint }), { knownHosts: knownHosts() });
    ok.close();
    const e = await sshError(
      connect(target(n, undefined, { expectedFingerprint: `SHA256:${'A'.repeat(43)}` }), { knownHosts: knownHosts() }),
    );
    expect(e.code).toBe('host_key_profile_mismatch');
  });

  it('matches hashed known_hosts entries and [host]:port forms of the user file', async () => {
    const n = l.node(2);
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update(n.address).digest('base64');
    const [, type, key] = n.knownHostsLine.split(/\s+/);
    const userFile = join(dir, 'user_known_hosts');
    writeFileSync(
      userFile,
      `# a comment\n[${n.address}]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherKeyOtherKeyOtherKeyOtherKeyOtherKey\n|1|${salt.toString('base64')}|${hash} ${type} ${key}\n`,
    );
    const c = await connect(target(n), { knownHosts: new KnownHosts(join(dir, 'empty-app-file'), [userFile]) });
    expect(c.fingerprint).toBe(n.hostKeyFingerprint);
    c.close();
  });

  it('refuses a @revoked key', async () => {
    const n = l.node(2);
    const file = join(dir, 'revoked');
    const [, type, key] = n.knownHostsLine.split(/\s+/);
    writeFileSync(file, `@revoked * ${type} ${key}\n${n.knownHostsLine}\n`);
    expect((await sshError(connect(target(n), { knownHosts: new KnownHosts(file) }))).code).toBe('host_key_revoked');
  });

  it('fails hard on a replaced host key, sends no credential and names the known_hosts line to remove', async () => {
    const n = l.node(3);
    const kh = knownHosts('replaced');
    (await connect(target(n, { kind: 'password', password: n.password }), { knownHosts: kh, onUnknownHostKey: async () => true })).close();
    const newFingerprint = await n.replaceHostKey();
    const before = await n.authAttempts();
    const e = await sshError(
      connect(target(n, { kind: 'password', password: n.password }), { knownHosts: kh, onUnknownHostKey: async () => true }),
    );
    expect(e.code).toBe('host_key_changed');
    expect(e.detail.fingerprint).toBe(newFingerprint);
    expect(e.localized.en).toContain(`${kh.appFile}:1: ${n.address} ssh-ed25519`);
    expect(e.localized.en).toMatch(/remove this line/);
    const after = await n.authAttempts();
    expect(after.length).toBe(before.length); // zero authentication attempts reached the node
  });
});

describe('authentication and failures, one cause each', () => {
  it('logs in with a password and with a key', async () => {
    const n = l.node(1);
    const kh = new KnownHosts(join(dir, 'kh-auth'));
    writeFileSync(kh.appFile, `${n.knownHostsLine}\n`);
    for (const auth of [
      { kind: 'password', password: n.password },
      { kind: 'key', keyPath: n.privateKeyPath },
    ] as const) {
      const c = await connect(target(n, auth), { knownHosts: kh });
      const r = await execArgv(c.ssh, ['hostname'], n.name);
      expect(r.stdout.trim()).toBe('node-1');
      c.close();
    }
  });

  it('says auth failed for a wrong password', async () => {
    const n = l.node(1);
    const kh = new KnownHosts(join(dir, 'kh-wrong'));
    writeFileSync(kh.appFile, `${n.knownHostsLine}\n`);
    const e = await sshError(connect(target(n, { kind: 'password', password: 'wrong-password' }), { knownHosts: kh }));
    expect(e.code).toBe('auth');
    expect(e.node).toBe('node-1');
  });

  it('says refused when sshd is down, and connects again when it is back', async () => {
    const n = l.node(3);
    await n.stopSshd();
    try {
      expect((await sshError(connect(target(n), { knownHosts: knownHosts() }))).code).toBe('refused');
    } finally {
      await n.startSshd();
    }
  });

  it('says the name cannot be resolved, and times out on a server that never speaks', async () => {
    const n = l.node(1);
    expect((await sshError(connect({ ...target(n), host: 'no-such-host.invalid' }, { knownHosts: knownHosts() }))).code).toBe('dns');
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const e = await sshError(connect({ ...target(n), host: '127.0.0.1', port }, { knownHosts: knownHosts(), readyTimeoutMs: 800 }));
      expect(e.code).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('says which key file is missing', async () => {
    const n = l.node(1);
    const e = await sshError(connect(target(n, { kind: 'key', keyPath: '/nonexistent/id_ed25519' }), { knownHosts: knownHosts() }));
    expect(e.code).toBe('key_file');
    expect(e.localized.en).toContain('/nonexistent/id_ed25519 does not exist');
  });

  it('says the key cannot be used for a wrong passphrase and for a file that is no key, naming neither secret nor key', async () => {
    const n = l.node(1);
    const keyPath = join(dir, 'encrypted_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'the right passphrase', '-f', keyPath]);
    const wrong = await sshError(
      connect(target(n, { kind: 'key', keyPath, passphrase: 'a wrong passphrase' }), { knownHosts: knownHosts() }),
    );
    expect(wrong.code).toBe('key_file');
    expect(wrong.localized.en).toContain('bad passphrase');
    expect(wrong.localized.en).not.toContain('a wrong passphrase');
    const missing = await sshError(connect(target(n, { kind: 'key', keyPath }), { knownHosts: knownHosts() }));
    expect(missing.code).toBe('key_file');
    expect(missing.localized.en).toContain('no passphrase given');
    const notAKey = join(dir, 'not_a_key');
    writeFileSync(notAKey, 'password=hunter2\n');
    const junk = await sshError(connect(target(n, { kind: 'key', keyPath: notAKey }), { knownHosts: knownHosts() }));
    expect(junk.code).toBe('key_file');
    expect(junk.localized.en).not.toContain('hunter2');
  });

  it('says disconnected, not timeout, when a server closes the connection after its banner', async () => {
    // No error from ssh2 here, only 'close', which node-ssh reports as "No response from server" (ETIMEDOUT).
    const rude: Server = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    await new Promise<void>((r) => rude.listen(0, '127.0.0.1', r));
    const port = (rude.address() as { port: number }).port;
    try {
      const e = await sshError(connect({ ...target(l.node(1)), host: '127.0.0.1', port }, { knownHosts: knownHosts() }));
      expect(e.code).toBe('disconnected');
    } finally {
      rude.close();
    }
  });

  it('survives a connection that stops answering (keepalive timeout) and refuses the next command as disconnected', async () => {
    const n = l.node(2);
    const relay = await tcpRelay(n.address, n.port);
    try {
      const c = await connect(
        { ...target(n, undefined, { expectedFingerprint: n.hostKeyFingerprint }), host: '127.0.0.1', port: relay.port },
        { knownHosts: knownHosts(), keepaliveIntervalMs: 100 },
      );
      expect((await execArgv(c.ssh, ['hostname'], n.name)).stdout).toBe('node-2\n');
      const closed = new Promise<void>((r) => c.client.once('close', () => r()));
      // ssh2 reports "Keepalive timeout" as an 'error' after the connection was ready: with no
      // listener left on the client, that would be an uncaught exception.
      relay.freeze();
      await closed;
      const e = await sshError(execArgv(c.ssh, ['hostname'], n.name));
      expect(e.code).toBe('disconnected');
      expect(e.node).toBe(n.name);
      c.close();
    } finally {
      relay.close();
    }
  });
});

describe('jump hosts', () => {
  it('reaches node 3 through node 1 and node 2, verifying every hop', async () => {
    const [a, b, c] = [l.node(1), l.node(2), l.node(3)];
    const kh = new KnownHosts(join(dir, 'kh-jump'));
    const asked: string[] = [];
    const conn = await connect(
      {
        ...target(c, { kind: 'password', password: c.password }),
        jumps: [target(a), target(b, { kind: 'password', password: b.password })],
      },
      { knownHosts: kh, onUnknownHostKey: async (info) => (asked.push(info.label), true) },
    );
    const r = await execArgv(conn.ssh, ['hostname'], c.name);
    expect(r.stdout.trim()).toBe('node-3');
    expect(asked).toEqual(['node-1', 'node-2', 'node-3']);
    conn.close();
  });

  it('names the hop when the jump host cannot reach the next one', async () => {
    const [a, c] = [l.node(1), l.node(3)];
    const kh = new KnownHosts(join(dir, 'kh-jump2'));
    const e = await sshError(
      connect({ ...target(c), port: 1, jumps: [target(a)] }, { knownHosts: kh, onUnknownHostKey: async () => true }),
    );
    expect(e.code).toBe('refused');
    expect(e.node).toBe('node-3 via node-1');
  });
});

describe('remote commands', () => {
  it('returns hostile arguments byte-identical from a real shell', async () => {
    const n = l.node(2);
    const kh = new KnownHosts(join(dir, 'kh-args'));
    writeFileSync(kh.appFile, `${n.knownHostsLine}\n`);
    const c = await connect(target(n), { knownHosts: kh });
    const hostile = [
      "it's",
      '"double"',
      '$(touch /tmp/pwned)',
      '`touch /tmp/pwned2`',
      'a; touch /tmp/pwned3',
      'line1\nline2',
      '中文 🚢 Ünïcödé',
      '-rf',
      '--help',
      '',
      ' spaced  out ',
      '*',
      '~',
      'A=B',
      '$HOME',
      '\\back\\slash',
      "'",
      'tab\there',
      '!event',
      '#not-a-comment',
      '&&',
      '|',
      '>file',
    ];
    const r = await execArgv(c.ssh, ['printf', '%s\\0', ...hostile], n.name);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(hostile);
    expect(await n.exists('/tmp/pwned')).toBe(false);
    expect(await n.exists('/tmp/pwned2')).toBe(false);
    expect(await n.exists('/tmp/pwned3')).toBe(false);
    const a = await execArgv(c.ssh, ['A=B'], n.name);
    expect(a.code).toBe(127); // run as a command, not taken as an assignment
    const fail = await execArgv(c.ssh, ['sh', '-c', 'echo out; echo err >&2; exit 3'], n.name);
    expect(fail).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    c.close();
  });

  it('sends a binary stdin byte-exact and keeps output bytes split across chunks whole', async () => {
    const n = l.node(2);
    const kh = new KnownHosts(join(dir, 'kh-stdin'));
    writeFileSync(kh.appFile, `${n.knownHostsLine}\n`);
    const c = await connect(target(n), { knownHosts: kh });
    try {
      const bytes = randomBytes(3 << 20);
      const sum = await execArgv(c.ssh, ['sha256sum'], n.name, { stdin: bytes });
      expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(bytes).digest('hex'));
      // 3-byte characters over many 32 KiB packets: most packet ends cut a character in two.
      const text = '中'.repeat(200_000);
      const echoed = await execArgv(c.ssh, ['cat'], n.name, { stdin: text });
      expect(echoed.stdout === text).toBe(true);
    } finally {
      c.close();
    }
  });

  it('stops a command that writes more than the output ceiling, keeps maxBuffer of it, and the connection stays good', async () => {
    const n = l.node(1);
    const kh = new KnownHosts(join(dir, 'kh-ceiling'));
    writeFileSync(kh.appFile, `${n.knownHostsLine}\n`);
    const c = await connect(target(n), { knownHosts: kh });
    try {
      let seen = 0;
      const r = await execArgv(c.ssh, ['head', '-c', String(4 * OUTPUT_CEILING), '/dev/zero'], n.name, {
        maxBuffer: 1000,
        onStdout: (chunk) => (seen += chunk.length),
      });
      expect(r.code).not.toBe(0);
      expect(r.timedOut).toBe(false);
      expect(r.stdout).toBe('\0'.repeat(1000));
      expect(seen).toBeGreaterThan(OUTPUT_CEILING);
      expect(seen).toBeLessThan(4 * OUTPUT_CEILING);
      expect((await execArgv(c.ssh, ['echo', 'after'], n.name)).stdout).toBe('after\n');
    } finally {
      c.close();
    }
  }, 60_000);

  it('gives the result of a hung command when it times out or is aborted, instead of waiting for it to exit', async () => {
    const n = l.node(3);
    const kh = new KnownHosts(join(dir, 'kh-stop'));
    writeFileSync(kh.appFile, `${n.knownHostsLine}\n`);
    const c = await connect(target(n), { knownHosts: kh });
    // Silent and deaf to its closed stdin: sshd keeps such a channel open for as long as it runs
    // (root logins get no signal request; see stopChannel), so only our side can end the wait.
    const hung = (tag: string) => ['sh', '-c', 'sleep 600; echo "$1"', 'sh', tag];
    try {
      const timed = await execArgv(c.ssh, hung('hung-timeout'), n.name, { timeoutMs: 300 });
      expect(timed).toMatchObject({ timedOut: true, code: null });

      const controller = new AbortController();
      const pending = execArgv(c.ssh, hung('hung-abort'), n.name, { signal: controller.signal });
      await expect.poll(async () => (await n.exec('pgrep -f "[h]ung-abort"')).code).toBe(0);
      controller.abort();
      expect(await pending).toMatchObject({ timedOut: false, code: null });
      // An already aborted signal stops the command at once.
      expect(await execArgv(c.ssh, hung('hung-pre-aborted'), n.name, { signal: AbortSignal.abort() })).toMatchObject({ code: null });
      // The connection is still good for the next command.
      expect((await execArgv(c.ssh, ['echo', 'after'], n.name)).stdout).toBe('after\n');
    } finally {
      await n.exec('pkill -f "[s]leep 600; echo"');
      c.close();
    }
  }, 30_000);
});

/** A TCP relay to host:port that can stop passing bytes without closing anything, as a dead route does. */
async function tcpRelay(host: string, port: number): Promise<{ port: number; freeze(): void; close(): void }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const server = createServer((inbound) => {
    const outbound = tcpConnect(port, host);
    for (const [from, to] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      sockets.add(from);
      from.on('data', (d) => !frozen && to.write(d));
      from.on('close', () => to.destroy());
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    freeze: () => (frozen = true),
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
