/**
 * Session logging per terminal, through the real core against a lab node: the masked transcript switched off and on
 * (the file has what was shown while on, and says where the gap is), and the summary of an ended session in the
 * Activity log (node, start and end, bytes each way counted exactly, whether and where it was logged).
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../shared/api/contracts/ssh';
import type { TerminalSessionInfo } from '../../shared/api/contracts/terminal';
import { testCore } from '../helpers/core';
import { saveLabProfile } from '../helpers/lab-profile';
import { caller, TerminalClient } from '../helpers/terminal';
import * as lab from '../lab';

let l: lab.Lab;
const core = testCore();
const call = caller(core);

async function shell(options: Record<string, unknown> = {}): Promise<TerminalClient> {
  const t = await TerminalClient.open(core, { profileId: 'lab', nodeId: 'n1', ...options });
  await t.waitFor(/[#$] $/);
  return t;
}

/** Types a line and waits for the shell's answer; answers the bytes typed. */
async function say(t: TerminalClient, word: string): Promise<number> {
  const from = t.text.length;
  // The answer is built by the shell (`$((…))`), so the echoed command line does not match it.
  const line = `echo ${word}-$((40+2))\r`;
  await t.send(line);
  await t.waitFor(`${word}-42\r\n`, 15_000, from);
  return Buffer.byteLength(line);
}

async function ended(sessionId: string): Promise<ActivityEntry> {
  const entries = await call<ActivityEntry[]>('activity.list', { profileId: 'lab' });
  const entry = entries.find((e) => e.terminal?.sessionId === sessionId);
  expect(entry, `an Activity entry for ${sessionId}`).toBeDefined();
  return entry!;
}

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  await core.vault.initialize('vault passphrase for session logging tests');
  await saveLabProfile(core.profiles, l);
  const first = await call<{ status: string; fingerprint: string }>('ssh.test', { profileId: 'lab', nodeId: 'n1' });
  if (first.status === 'host_key_unknown') await call('ssh.trustHostKey', { fingerprint: first.fingerprint });
}, 180_000);

afterAll(async () => {
  await core.close();
  await l?.down();
});

describe('session logging', () => {
  it('off, on, off again: the transcript has only what was shown while on, the gap is noted, the summary says "partly"', async () => {
    const t = await shell({ logging: false });
    expect(t.info.logging).toBe(false);
    let sent = await say(t, 'BEFORE');
    expect(existsSync(t.info.transcript)).toBe(false);

    const on = await call<TerminalSessionInfo>('terminal.setLogging', { sessionId: t.id, on: true });
    expect(on.logging).toBe(true);
    sent += await say(t, 'WHILE');
    await call('terminal.setLogging', { sessionId: t.id, on: false });
    sent += await say(t, 'AFTER');
    const start = Date.now();
    await t.close();

    const text = readFileSync(t.info.transcript, 'utf8');
    expect(text).toContain('WHILE-42');
    expect(text).not.toContain('BEFORE-42');
    expect(text).not.toContain('AFTER-42');
    expect(text).toMatch(/\] logging turned on by the operator\n/);
    expect(text).toMatch(/\] logging turned off by the operator; output until it is turned on again is not in this file\n/);

    const entry = await ended(t.id);
    expect(entry).toMatchObject({
      profileId: 'lab',
      node: `node-1 (${l.node(1).address})`,
      origin: 'operator',
      exitCode: null,
      terminal: { sessionId: t.id, startedAt: t.info.createdAt, sentBytes: sent, logged: 'partly', transcript: t.info.transcript },
    });
    expect(entry.terminal!.receivedBytes).toBeGreaterThan(sent);
    expect(Date.parse(entry.terminal!.endedAt)).toBeGreaterThanOrEqual(start - 1000);
    expect(entry.durationMs).toBe(Date.parse(entry.terminal!.endedAt) - Date.parse(entry.terminal!.startedAt));
  });

  it('on by default: "whole"; never on: "off" and no transcript file', async () => {
    const whole = await shell();
    expect(whole.info.logging).toBe(true);
    await say(whole, 'ALL');
    await whole.close();
    expect((await ended(whole.id)).terminal).toMatchObject({ logged: 'whole', transcript: whole.info.transcript });
    expect(readFileSync(whole.info.transcript, 'utf8')).toContain('ALL-42');

    const never = await shell({ logging: false });
    await say(never, 'NONE');
    await never.close();
    const summary = (await ended(never.id)).terminal!;
    expect(summary.logged).toBe('off');
    expect(summary.transcript).toBeUndefined();
    expect(existsSync(never.info.transcript)).toBe(false);
  });

  it('answers not_found for a session that is gone', async () => {
    const e = (await call('terminal.setLogging', { sessionId: 'tdeadbeef00', on: true }).catch((x: unknown) => x)) as { code: string };
    expect(e.code).toBe('not_found');
  });
});
