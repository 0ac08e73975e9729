/** Terminal sessions through the real core against the lab's OpenSSH nodes. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIGH_WATERMARK, MAX_BATCH } from '../../electron/core/terminal/session';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { testCore } from '../helpers/core';
import { v2Profile } from '../helpers/profiles';
import { caller, TerminalClient, type ClientOptions } from '../helpers/terminal';
import { saveLabProfile } from '../helpers/lab-profile';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
const call = caller(core);
const open: TerminalClient[] = [];

async function shell(nodeId = 'n1', options: Record<string, unknown> = {}, client: ClientOptions = {}): Promise<TerminalClient> {
  const t = await TerminalClient.open(core, { profileId: 'lab', nodeId, ...options }, client);
  open.push(t);
  // The prompt: bash prints "root@node-N" in it once the shell is up.
  await t.waitFor(/[#$] $/);
  return t;
}

beforeAll(async () => {
  l = await lab.up({ nodes: 2, services: [] });
  await core.vault.initialize('vault passphrase for terminal tests');
  await saveLabProfile(core.profiles, l);
  for (const nodeId of ['n1', 'n2']) {
    const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId });
    if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  await core.close();
  await l?.down();
});

describe('terminal sessions', () => {
  it('opens a shell with a PTY on the node and runs a command', async () => {
    const t = await shell('n1');
    expect(t.info).toMatchObject({
      profileId: 'lab',
      nodeId: 'n1',
      state: 'connected',
      charset: 'utf-8',
      label: `node-1 (${l.node(1).address})`,
    });
    expect((await t.run('hostname')).trim()).toBe('node-1');
    expect((await t.run('echo $TERM')).trim()).toBe('xterm-256color');
    expect(t.states).toContain('connected');
    const listed = await call<{ sessionId: string }[]>('terminal.list', { profileId: 'lab' });
    expect(listed.map((s) => s.sessionId)).toContain(t.id);
  });

  it('asks for the host key of an unknown node instead of connecting', async () => {
    const fresh = testCore();
    try {
      await fresh.vault.initialize('another vault passphrase');
      await fresh.profiles.save(
        profileSchema.parse(
          v2Profile((p) => {
            p.id = 'lab';
            p.nodes = [
              { id: 'n1', name: 'node-1', host: l.node(1).address, auth: { kind: 'password', password: { value: l.node(1).password } } },
            ];
          }),
        ),
      );
      const e = (await caller(fresh)('terminal.open', { profileId: 'lab', nodeId: 'n1', cols: 80, rows: 24 }).catch(
        (x: unknown) => x,
      )) as ApiError;
      expect(e).toBeInstanceOf(ApiError);
      expect(e.code).toBe('ssh');
      expect(e.reason).toBe('host_key_unknown');
      expect(await caller(fresh)('terminal.list', {})).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('validates sizes and input lengths', async () => {
    const bad = (await call('terminal.open', { profileId: 'lab', nodeId: 'n1', cols: 0, rows: 24 }).catch((x: unknown) => x)) as ApiError;
    expect(bad.code).toBe('invalid_input');
    const t = await shell('n1');
    const big = (await call('terminal.input', { sessionIds: [t.id], data: 'x'.repeat(65_537) }).catch((x: unknown) => x)) as ApiError;
    expect(big.code).toBe('invalid_input');
    expect(await call('terminal.input', { sessionIds: [t.id], data: ' '.repeat(65_536) })).toEqual({ delivered: [t.id] });
    await t.send('\x15'); // Ctrl-U: drop the spaces from the line
    const unknown = (await call('terminal.ack', { sessionId: 'tdeadbeef00', chars: 1 }).catch((x: unknown) => x)) as ApiError;
    expect(unknown.code).toBe('not_found');
  });

  it('passes UTF-8 and GBK output written one byte at a time through intact, and encodes GBK input', async () => {
    const utf = await shell('n1');
    const bytes = [...new TextEncoder().encode('中文€😀é')].map((b) => `\\\\x${b.toString(16)}`).join(' ');
    // Each byte is its own write (and so its own SSH packet, a few ms apart).
    const out = await utf.run(`for b in ${bytes}; do printf "$b"; sleep 0.01; done; echo`);
    expect(out).toContain('中文€😀é');
    expect(out).not.toContain('\ufffd');

    const gbk = await shell('n2', { charset: 'gbk' });
    expect(gbk.info.charset).toBe('gbk');
    const gbkBytes = [0xd6, 0xd0, 0xce, 0xc4, 0xb7, 0xfe, 0xce, 0xf1].map((b) => `\\\\x${b.toString(16)}`).join(' ');
    const out2 = await gbk.run(`for b in ${gbkBytes}; do printf "$b"; sleep 0.01; done; echo`);
    expect(out2).toContain('中文服务');
    expect(out2).not.toContain('\ufffd');
    // Input is encoded in GBK: od shows the bytes the node received (the tty echoes them back, decoded).
    const from = gbk.text.length;
    await gbk.send('od -An -tx1\r');
    await new Promise((r) => setTimeout(r, 300));
    await gbk.send('中文\r\x04');
    await gbk.waitFor(/d6 d0 ce c4 0a/, 10_000, from);
    expect(gbk.text.slice(from)).toContain('中文');
  });

  it('survives a flood with a slow client: bounded unacknowledged output, channel paused and resumed, nothing lost', async () => {
    let lines = 0;
    let carry = '';
    let tail = '';
    const t = await shell(
      'n1',
      {},
      {
        keep: false,
        ackDelayMs: 15,
        onData: (d) => {
          const s = carry + d;
          let i = s.indexOf('y\r\n');
          while (i >= 0) {
            lines++;
            i = s.indexOf('y\r\n', i + 3);
          }
          carry = s.slice(-2);
          tail = (tail + d).slice(-200);
        },
      },
    );
    const session = core.terminals.get(t.id);
    expect(session.windowControlled).toBe(true);
    await t.send('yes | head -c 50000000; echo "FLOOD""-END"\r');
    await t.until(() => tail.includes('FLOOD-END\r\n'), 120_000, 'end of flood');
    expect(lines).toBe(25_000_000);
    expect(session.stats.pauses).toBeGreaterThan(0);
    expect(session.stats.resumes).toBeGreaterThan(0);
    expect(session.stats.maxUnacked).toBeLessThanOrEqual(HIGH_WATERMARK + MAX_BATCH);
    expect(t.maxUnacked).toBeLessThanOrEqual(HIGH_WATERMARK + MAX_BATCH);
    expect(session.stats.receivedBytes).toBeGreaterThanOrEqual(75_000_000);
  }, 180_000);

  it('resizes the PTY', async () => {
    const t = await shell('n1');
    expect((await t.run('stty size')).trim()).toBe('40 120');
    await call('terminal.resize', { sessionId: t.id, cols: 100, rows: 30 });
    expect((await t.run('stty size')).trim()).toBe('30 100');
    expect(
      (await call<{ sessionId: string; cols: number; rows: number }[]>('terminal.list', {})).find((s) => s.sessionId === t.id),
    ).toMatchObject({ cols: 100, rows: 30 });
  });

  it('broadcasts input to the selected sessions only', async () => {
    const [a, b, c] = [await shell('n1'), await shell('n2'), await shell('n1')];
    const r = await call<{ delivered: string[] }>('terminal.input', { sessionIds: [a.id, b.id], data: 'echo BC-$((40+2))\r' });
    expect(r.delivered.sort()).toEqual([a.id, b.id].sort());
    await a.waitFor('BC-42\r\n');
    await b.waitFor('BC-42\r\n');
    expect((await c.run('echo C-$((1+1))')).trim()).toBe('C-2');
    expect(c.text).not.toContain('BC-');
  });

  it('writes a transcript with secrets masked', async () => {
    const t = await shell('n1');
    const password = l.node(1).password;
    expect((await t.run(`echo "secret=${password}" | tr = :`)).trim()).toBe(`secret:${password}`);
    const info = t.info;
    await t.close();
    const text = readFileSync(info.transcript, 'utf8');
    expect(text).toContain('secret:******');
    expect(text).not.toContain(password);
    expect(text).not.toContain('\x1b');
    expect(info.transcript.startsWith(core.dataDir)).toBe(true);
  });

  it('reconnects by itself after the connection drops, and on request', async () => {
    const t = await shell('n2');
    const pid = Number((await t.run('echo PID=$PPID')).trim().replace('PID=', ''));
    expect(pid).toBeGreaterThan(1);
    await l.node(2).stopSshd();
    let restarted = false;
    try {
      // The connection's own sshd process goes away, as with a dropped network or a reboot.
      process.kill(pid, 'SIGKILL');
      await t.until(() => t.states.includes('reconnecting'), 15_000, 'reconnecting');
      await new Promise((r) => setTimeout(r, 1500));
      expect(core.terminals.get(t.id).state).toBe('reconnecting');
      const mark = t.text.length;
      await l.node(2).startSshd();
      restarted = true;
      await t.until(() => t.states.at(-1) === 'connected', 30_000, 'connected again');
      await t.waitFor(/[#$] $/, 15_000, mark);
    } finally {
      if (!restarted) await l.node(2).startSshd();
    }
    expect((await t.run('hostname')).trim()).toBe('node-2');
    const before = t.states.length;
    const mark = t.text.length;
    await call('terminal.reconnect', { sessionId: t.id });
    await t.until(() => t.states.slice(before).includes('connected'), 15_000, 'reconnected');
    expect(t.states.slice(before)).toEqual(['connecting', 'connected']);
    await t.waitFor(/[#$] $/, 15_000, mark);
    expect((await t.run('hostname')).trim()).toBe('node-2');
  }, 90_000);

  it('shows an exited shell as closed, and re-attaches a new subscriber with recent output', async () => {
    const t = await shell('n1');
    await t.run('echo REPLAY-$((6*7))');
    t.detach();
    const again = TerminalClient.reattach(core, t.info);
    await again.waitFor('REPLAY-42');
    await again.send('exit\r');
    await again.until(() => again.states.at(-1) === 'closed', 10_000, 'closed');
    expect(again.exits[0]?.code).toBe(0);
    await again.close();
  });
});
