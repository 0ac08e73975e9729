/**
 * One running app per data folder (electron/core/data-dir-lock.ts), with real processes: two cores
 * saving at once on one folder lose nothing (the second is refused and says by whom), a lock left
 * by a SIGKILLed process is taken over, and the built serve mode explains the refusal in both
 * languages.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { DataDirLock, LOCK_FILE, processIdentity } from '../../electron/core/data-dir-lock';
import { createLog, Redactor } from '../../electron/core/log';
import { ProfileStore } from '../../electron/core/profiles/store';
import { Vault } from '../../electron/core/vault/vault';
import { ApiError, type ApiErrorData } from '../../shared/errors';
import { secretSlots, type Profile } from '../../shared/profile';
import { projectRoot } from '../helpers/serve';

const WRITER = fileURLToPath(new URL('./data-dir-writer.ts', import.meta.url));
const RAW_IMPORTS = fileURLToPath(new URL('../helpers/raw-imports.mjs', import.meta.url));
const PASS = 'data folder lock test passphrase';
const SAVES = 40;

interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  /** "ready", or the refusal the child printed. */
  readonly started: Promise<'ready' | ApiErrorData>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function writer(args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--import', RAW_IMPORTS, WRITER, ...args], {
    env: { ...process.env, HARBOR_TEST_VAULT_PASSPHRASE: PASS },
  });
  let out = '';
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const started = new Promise<'ready' | ApiErrorData>((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (/^ready$/m.test(out)) resolve('ready');
      const refused = /^refused (.*)$/m.exec(out);
      if (refused) resolve(JSON.parse(refused[1]!) as ApiErrorData);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`writer ${args.join(' ')} exited (${code ?? signal}) before starting: ${stderr}`)),
    );
  });
  return { proc, started, exited };
}

function newFolder(): string {
  return mkdtempSync(join(tmpdir(), 'harbor-lock-'));
}

/** A vault with a cheap passphrase cost (kept in its file), so each writer unlocks fast. */
async function initVault(dir: string): Promise<void> {
  await Vault.open(join(dir, 'vault.json'), { kdf: { N: 2 ** 15 } }).initialize(PASS);
}

function core(dir: string): Core {
  const redactor = new Redactor();
  return createCore({
    host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir: dir },
    log: createLog({ redactor, minLevel: 'error' }),
    redactor,
  });
}

/**
 * Every profile in the folder that claims a stored secret has it in the vault, and it decrypts; the
 * node password is the one its writer saved. Answers the profile ids.
 */
async function checkFolder(dir: string): Promise<string[]> {
  const vault = Vault.open(join(dir, 'vault.json'));
  await vault.unlock(PASS);
  const records = ProfileStore.open(dir).list();
  const missing: string[] = [];
  for (const { profile } of records) {
    for (const slot of secretSlots(structuredClone<Profile>(profile))) {
      const s = slot.get();
      if (!('set' in s) || !s.set) continue;
      const key = `profile/${profile.id}/${slot.key}`;
      if (!vault.has(key)) missing.push(key);
      else expect(vault.get(key)).toBeTypeOf('string');
    }
    const n1 = `profile/${profile.id}/nodes/n1/auth.password`;
    if (vault.has(n1)) expect(vault.get(n1)).toBe(profile.id.replace(/-(\d+)$/, '-node-pw-$1'));
  }
  expect(missing, 'profiles claim secrets the vault lacks').toEqual([]);
  return records.map((r) => r.profile.id);
}

function expectRefusal(e: ApiErrorData, dir: string, holderPid: number): void {
  expect(e.code).toBe('conflict');
  expect(e.reason).toBe('data_dir_in_use');
  for (const text of [e.message.en, e.message['zh-CN']]) {
    expect(text).toContain(dir);
    expect(text).toContain(`${holderPid}`);
    expect(text).toContain(join(dir, LOCK_FILE));
  }
  expect(e.message.en).toMatch(/in use by another running Harbor HA Deployer/);
  expect(e.message['zh-CN']).toMatch(/正被另一个运行中的 Harbor HA Deployer 使用/);
}

const holderOf = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; token: string };

describe('one running app per data folder', () => {
  it(
    `two processes saving ${SAVES} profiles each at once lose nothing: the second is refused, names the first, and starts once the first has stopped`,
    { timeout: 120_000 },
    async () => {
      const dir = newFolder();
      await initVault(dir);
      const a = writer(['save', dir, 'a', String(SAVES)]);
      const b = writer(['save', dir, 'b', String(SAVES)]);
      const started = await Promise.all([a.started, b.started]);
      // Both at once: whoever got a core starts saving only when both have come this far.
      for (const [i, c] of [a, b].entries()) if (started[i] === 'ready') c.proc.stdin.write('go\n');
      const exits = await Promise.all([a.exited, b.exited]);

      const ids = await checkFolder(dir);
      const refused = started.flatMap((s, i) => (s === 'ready' ? [] : [{ error: s, tag: i === 0 ? 'a' : 'b', holder: i === 0 ? b : a }]));
      expect(refused).toHaveLength(1);
      const [{ error, tag, holder }] = refused as [(typeof refused)[number]];
      expectRefusal(error, dir, holder.proc.pid!);
      expect(exits.map((e) => e.code).sort()).toEqual([0, 3]);
      expect(ids.filter((id) => id.startsWith(`${tag}-`))).toEqual([]);
      // The holder closed its core and gave the folder back: the refused one can run now.
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
      const again = writer(['save', dir, tag, String(SAVES)]);
      expect(await again.started).toBe('ready');
      again.proc.stdin.write('go\n');
      expect((await again.exited).code).toBe(0);
      expect((await checkFolder(dir)).length).toBe(2 * SAVES);
    },
  );

  it('takes over the lock of a process that was killed (SIGKILL), and gives it back on close', { timeout: 60_000 }, async () => {
    const dir = newFolder();
    const held = writer(['hold', dir]);
    expect(await held.started).toBe('ready');
    held.proc.kill('SIGKILL');
    expect((await held.exited).signal).toBe('SIGKILL');
    // The crash left its lock behind.
    expect(holderOf(dir).pid).toBe(held.proc.pid);

    const c = core(dir);
    expect(holderOf(dir).pid).toBe(process.pid);
    await c.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await core(dir).close(); // and again
  });

  it(
    'while the holder runs, a core in this process and the built serve mode are refused in both languages, and nothing in the folder changes',
    { timeout: 60_000 },
    async () => {
      const dir = newFolder();
      await initVault(dir);
      const held = writer(['hold', dir]);
      try {
        expect(await held.started).toBe('ready');
        const lock = readFileSync(join(dir, LOCK_FILE), 'utf8');
        const vault = readFileSync(join(dir, 'vault.json'), 'utf8');

        let error: unknown;
        try {
          core(dir);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ApiError);
        expectRefusal((error as ApiError).toData(), dir, held.proc.pid!);

        const serve = spawn(process.execPath, [join(projectRoot, 'out', 'serve', 'index.cjs')], {
          env: { ...process.env, HARBOR_HA_DATA_DIR: dir },
        });
        let err = '';
        serve.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
        serve.stdout.resume();
        const code = await new Promise<number | null>((resolve) => serve.on('exit', resolve));
        expect(code).toBe(1);
        expect(err).toMatch(/in use by another running Harbor HA Deployer/);
        expect(err).toMatch(/正被另一个运行中的 Harbor HA Deployer 使用/);
        expect(err).toContain(`${held.proc.pid}`);

        expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(lock);
        expect(readFileSync(join(dir, 'vault.json'), 'utf8')).toBe(vault);
      } finally {
        held.proc.kill('SIGKILL');
        await held.exited;
      }
    },
  );
});

describe('the lock file', () => {
  const who = { app: 'Harbor HA Deployer', desktop: false };
  const plant = (dir: string, holder: Record<string, unknown>) =>
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({
        pid: process.pid,
        host: hostname(),
        identity: null,
        app: 'Harbor HA Deployer',
        desktop: true,
        since: '2026-01-01T00:00:00.000Z',
        token: 'planted',
        ...holder,
      }),
    );

  it.skipIf(process.platform !== 'linux')('is stale when its pid now belongs to another process (a reboot or pid reuse)', () => {
    const dir = newFolder();
    expect(processIdentity(process.pid)).toMatch(/^[0-9a-f-]+\/\d+$/);
    plant(dir, { identity: `${processIdentity(process.pid)!.split('/')[0]}/1` });
    const lock = DataDirLock.acquire(dir, who);
    expect(holderOf(dir).token).toBe(lock.holder.token);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('held by a live process of this machine, or by another computer, is respected; a damaged one is replaced', () => {
    const dir = newFolder();
    plant(dir, { identity: processIdentity(process.pid) });
    expect(() => DataDirLock.acquire(dir, who)).toThrow(/in use by another running Harbor HA Deployer \(desktop app, process/);
    plant(dir, { pid: 999_999_999, host: 'build-server-7' });
    expect(() => DataDirLock.acquire(dir, who)).toThrow(/process 999999999 on build-server-7/);
    expect(holderOf(dir).token).toBe('planted');
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    const lock = DataDirLock.acquire(dir, who);
    expect(holderOf(dir).token).toBe(lock.holder.token);
    // A release only removes its own lock.
    plant(dir, {});
    lock.release();
    expect(holderOf(dir).token).toBe('planted');
  });
});
