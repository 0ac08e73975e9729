/** The profile store on disk: atomic writes under SIGKILL, migrations, refusal of unreadable and newer files. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProfileStore } from '../../electron/core/profiles/store';
import { ApiError } from '../../shared/errors';
import { profileSchema, SCHEMA_VERSION, type Profile } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';

const WRITER = fileURLToPath(new URL('./profile-store-writer.ts', import.meta.url));
const ITERATIONS = Number(process.env.STORE_KILL_ITERATIONS ?? 25);

function runAndKill(dataDir: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let started = -1;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /ready (\d+)/.exec(out);
      if (m && started < 0) {
        started = Number(m[1]);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(started) : reject(new Error(`writer exited (${code}): ${err}`))));
  });
}

describe('profile store', () => {
  it(`loses nothing when its writer is killed mid-write (${ITERATIONS} SIGKILLs)`, { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-kill-'));
    let last = 0;
    let progressed = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const started = await runAndKill(dir, 30 + Math.floor(Math.random() * 150));
      expect(started).toBe(last);
      const store = ProfileStore.open(dir); // throws if the file were damaged
      const records = store.list();
      for (const r of records) expect(profileSchema.safeParse(r.profile).success).toBe(true);
      const counter = Math.max(0, ...records.map((r) => Number(r.profile.description)));
      expect(counter).toBeGreaterThanOrEqual(last);
      if (counter > last) progressed++;
      last = counter;
      expect(JSON.parse(readFileSync(join(dir, 'profiles.json'), 'utf8')).schemaVersion).toBe(SCHEMA_VERSION);
      // Temporary files of killed writers are removed on open.
      expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    }
    console.log(
      `profile store kill test: ${ITERATIONS} kills, ${last} saves committed, ${progressed} runs made progress; files: ${readdirSync(dir).join(', ')}`,
    );
    expect(progressed).toBeGreaterThan(ITERATIONS / 2);
  });

  it('migrates an older file after keeping a backup, and refuses a newer one without touching it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-mig-'));
    const today = profileSchema.parse(v2Profile());
    // A profile as the app wrote it before schema version 2 (the load balancer was `aliyun-slb` with `slbId`).
    const { kind: _kind, ...clb } = { ...(today.loadBalancer as Extract<Profile['loadBalancer'], { kind: 'clb' }>) };
    const { instanceId, ...rest } = clb;
    const profile = { ...today, loadBalancer: { kind: 'aliyun-slb', slbId: instanceId, ...rest } };
    const old = { profiles: { [profile.id]: { profile, revision: 3, createdAt: 'a', updatedAt: 'b' } } };
    writeFileSync(join(dir, 'profiles.json'), JSON.stringify(old));
    const store = ProfileStore.open(dir);
    expect(store.get(profile.id)?.revision).toBe(3);
    expect(store.get(profile.id)?.profile).toEqual(today);
    expect(profileSchema.safeParse(store.get(profile.id)?.profile).success).toBe(true);
    expect(JSON.parse(store.readRaw()).schemaVersion).toBe(SCHEMA_VERSION);
    expect(JSON.parse(readFileSync(join(dir, 'profiles.json.v0.bak'), 'utf8'))).toEqual(old);

    // A test migration chain runs in order.
    const seen: number[] = [];
    const next = SCHEMA_VERSION + 1;
    const migrated = ProfileStore.open(dir, { [SCHEMA_VERSION]: (d) => (seen.push(SCHEMA_VERSION), { ...d, extra: true }) }, next);
    expect(seen).toEqual([SCHEMA_VERSION]);
    expect(JSON.parse(migrated.readRaw())).toMatchObject({ schemaVersion: next, extra: true });

    const newer = join(dir, 'profiles.json');
    writeFileSync(newer, JSON.stringify({ schemaVersion: 99, profiles: {} }));
    const before = readFileSync(newer, 'utf8');
    const error = (() => {
      try {
        ProfileStore.open(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).localized.en).toContain('newer version');
    expect(readFileSync(newer, 'utf8')).toBe(before);
  });

  it('refuses a damaged file with a clear message and does not overwrite it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-bad-'));
    writeFileSync(join(dir, 'profiles.json'), '{"schemaVersion": 1, "profiles": {');
    expect(() => ProfileStore.open(dir)).toThrow(/cannot be read/);
    expect(readFileSync(join(dir, 'profiles.json'), 'utf8')).toBe('{"schemaVersion": 1, "profiles": {');
  });
});
