/** Direct upload over a connection of its own, against a real OpenSSH node of the lab. */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { connect, type SshConnection } from '../../electron/core/ssh/connect';
import { execArgv } from '../../electron/core/ssh/exec';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import type { RemoteSession } from '../../electron/core/transfer/remote';
import { uploadFile, type UploadProgress } from '../../electron/core/transfer/upload';
import * as lab from '../lab';

let l: lab.Lab;
let dir: string;
const open: SshConnection[] = [];

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  dir = mkdtempSync(join(tmpdir(), 'transfer-test-'));
}, 180_000);

afterAll(async () => {
  for (const c of open) c.close();
  rmSync(dir, { recursive: true, force: true });
  await l?.down();
});

async function session(n: lab.LabNode): Promise<RemoteSession & { connection: SshConnection }> {
  const connection = await connect(
    {
      label: n.name,
      host: n.address,
      port: n.port,
      user: 'root',
      auth: { kind: 'key', keyPath: n.privateKeyPath },
      expectedFingerprint: n.hostKeyFingerprint,
    },
    { knownHosts: new KnownHosts(join(dir, 'known_hosts')) },
  );
  open.push(connection);
  return { connection, client: connection.client, label: n.name, run: (argv, o = {}) => execArgv(connection.ssh, argv, n.name, o) };
}

function file(name: string, size: number): { path: string; sha256: string; data: Buffer } {
  const data = randomBytes(size);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data, sha256: createHash('sha256').update(data).digest('hex') };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('upload', () => {
  it('sends the file with progress (bytes, rate, ETA), verifies sha256 on the node and leaves no partial file', async () => {
    const n = l.node(1);
    const f = file('installer.tgz', 3 << 20);
    const s = await session(n);
    const events: UploadProgress[] = [];
    const r = await uploadFile(s, f.path, '/opt/harbor/installer.tgz', {
      onProgress: (p) => events.push(p),
      progressIntervalMs: 0,
      blockSize: 64 << 10,
    });
    expect(r).toMatchObject({ status: 'uploaded', size: 3 << 20, sha256: f.sha256, sent: 3 << 20, resumedFrom: 0 });
    expect(sha(await n.readFile('/opt/harbor/installer.tgz'))).toBe(f.sha256);
    const uploading = events.filter((e) => e.phase === 'uploading');
    expect(uploading.length).toBeGreaterThan(3);
    for (let i = 1; i < uploading.length; i++) expect(uploading[i]!.bytes).toBeGreaterThanOrEqual(uploading[i - 1]!.bytes);
    expect(uploading.at(-1)!.bytes).toBe(3 << 20);
    expect(uploading.some((e) => e.rateBps > 0 && e.etaSeconds !== null)).toBe(true);
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(['checking', 'uploading', 'verifying']));
    expect((await n.execOk('ls -A /opt/harbor')).trim()).toBe('installer.tgz');
    expect((await n.execOk('stat -c %a /opt/harbor/installer.tgz')).trim()).toBe('644');
  });

  it('uploads an empty file and a file that is exactly one block, each verified', async () => {
    const n = l.node(1);
    const s = await session(n);
    for (const [name, size] of [
      ['empty.bin', 0],
      ['block.bin', 64 << 10],
    ] as const) {
      const f = file(name, size);
      const r = await uploadFile(s, f.path, `/root/${name}`, { blockSize: 64 << 10 });
      expect(r).toMatchObject({ status: 'uploaded', size, sent: size, sha256: f.sha256 });
      expect(sha(await n.readFile(`/root/${name}`))).toBe(f.sha256);
    }
  });

  it('reports "unchanged" and sends nothing when the node already has the same file', async () => {
    const n = l.node(1);
    const f = file('same.bin', 1 << 20);
    const s = await session(n);
    expect((await uploadFile(s, f.path, '/root/same.bin')).status).toBe('uploaded');
    const before = (await n.execOk('stat -c %Y.%i /root/same.bin')).trim();
    const again = await uploadFile(s, f.path, '/root/same.bin');
    expect(again).toMatchObject({ status: 'unchanged', sent: 0, sha256: f.sha256 });
    expect((await n.execOk('stat -c %Y.%i /root/same.bin')).trim()).toBe(before);
    // Same size, other content: sent again.
    const other = randomBytes(1 << 20);
    writeFileSync(f.path, other);
    const changed = await uploadFile(s, f.path, '/root/same.bin');
    expect(changed).toMatchObject({ status: 'uploaded', sent: 1 << 20 });
    expect(sha(await n.readFile('/root/same.bin'))).toBe(sha(other));
  });

  it('resumes after the connection drops half way: the prefix is checked on both sides and fewer bytes are sent', async () => {
    const n = l.node(1);
    const size = 8 << 20;
    const f = file('resume.bin', size);
    const first = await session(n);
    let sentBeforeDrop = 0;
    const error = await uploadFile(first, f.path, '/data/resume.bin', {
      blockSize: 64 << 10,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.phase === 'uploading' && p.sent >= size / 2 && !sentBeforeDrop) {
          sentBeforeDrop = p.sent;
          first.client.destroy(); // the network goes away
        }
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toBe('disconnected');
    expect(await n.exists('/data/resume.bin')).toBe(false);
    const partial = (await n.execOk('ls -A /data'))
      .trim()
      .split('\n')
      .find((x) => x.endsWith('.harbor-part'));
    expect(partial).toMatch(/^\.resume\.bin\.[0-9a-f]{12}\.harbor-part$/);
    // Everything the node took before the drop was written: a prefix of at least what its window acknowledged.
    const partialSize = Number((await n.execOk(`stat -c %s /data/${partial}`)).trim());
    expect(partialSize).toBeGreaterThan(0);
    expect(partialSize).toBeLessThan(size);

    const second = await session(n);
    const r = await uploadFile(second, f.path, '/data/resume.bin');
    expect(r.status).toBe('uploaded');
    expect(r.resumedFrom).toBe(partialSize);
    expect(r.sent).toBe(size - partialSize);
    expect(r.sent).toBeLessThan(size);
    expect(r.sha256).toBe(f.sha256);
    expect(sha(await n.readFile('/data/resume.bin'))).toBe(f.sha256);
    expect((await n.execOk('ls -A /data')).trim()).toBe('resume.bin');
  });

  it('starts over when the partial file is not a prefix of the local file', async () => {
    const n = l.node(1);
    const f = file('corrupt.bin', 2 << 20);
    const s = await session(n);
    const first = await session(n);
    await uploadFile(first, f.path, '/root/corrupt.bin', {
      blockSize: 64 << 10,
      progressIntervalMs: 0,
      onProgress: (p) => p.sent > 1 << 20 && first.client.destroy(),
    }).catch(() => undefined);
    const partial = (await n.execOk('ls -A /root'))
      .trim()
      .split('\n')
      .find((x) => x.startsWith('.corrupt.bin.'))!;
    await n.execOk(`printf XXXX | dd of=/root/${partial} bs=1 seek=100 conv=notrunc 2>/dev/null`);
    const r = await uploadFile(s, f.path, '/root/corrupt.bin');
    expect(r).toMatchObject({ status: 'uploaded', resumedFrom: 0, sent: 2 << 20, sha256: f.sha256 });
    expect(sha(await n.readFile('/root/corrupt.bin'))).toBe(f.sha256);
  });

  it('keeps every byte of a path with spaces, quotes, $(), backticks and unicode', async () => {
    const n = l.node(1);
    const name = `it's a "test" $(touch pwned) \`id\`; ünïcödé 文件 -x.bin`;
    mkdirSync(join(dir, 'odd dir'), { recursive: true });
    const f = file(join('odd dir', name), 300_000);
    const s = await session(n);
    const remote = `/opt/dir with spaces/'q' "dq"/${name}`;
    const r = await uploadFile(s, f.path, remote);
    expect(r.status).toBe('uploaded');
    expect(sha(await n.readFile(remote))).toBe(f.sha256);
    expect(await n.exists('/root/pwned')).toBe(false);
    expect((await uploadFile(s, f.path, remote)).status).toBe('unchanged');
  });

  it('refuses a local path that is missing or not a regular file, naming the field', async () => {
    const s = await session(l.node(1));
    for (const p of [join(dir, 'missing.bin'), dir]) {
      const e = (await uploadFile(s, p, '/root/x').catch((x: unknown) => x)) as ApiError;
      expect(e).toBeInstanceOf(ApiError);
      expect(e.code).toBe('invalid_input');
      expect(e.issues?.[0]?.path).toBe('localPath');
    }
  });

  it('fails on localPath and removes the copy when the local file is written to or cut short during the upload', async () => {
    const n = l.node(1);
    const size = 8 << 20;
    const changes = {
      // Same size, other bytes further on: the sender reads them later, the local hash may have read the old ones.
      overwritten: (path: string) => {
        const fd = openSync(path, 'r+');
        writeSync(fd, randomBytes(4096), 0, 4096, 6 << 20);
        closeSync(fd);
      },
      truncated: (path: string) => truncateSync(path, 2 << 20),
    };
    for (const [name, change] of Object.entries(changes)) {
      const f = file(`${name}.bin`, size);
      // An old modification time, so the change is seen however coarse the clock.
      utimesSync(f.path, new Date(2020, 0, 1), new Date(2020, 0, 1));
      const s = await session(n);
      let changed = false;
      const e = (await uploadFile(s, f.path, `/root/${name}.bin`, {
        blockSize: 64 << 10,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (changed || p.phase !== 'uploading' || p.sent < 1 << 20) return;
          changed = true;
          change(f.path);
        },
      }).catch((x: unknown) => x)) as ApiError;
      expect(changed).toBe(true);
      expect(e).toBeInstanceOf(ApiError);
      expect(e.code).toBe('invalid_input');
      expect(e.issues?.[0]?.path).toBe('localPath');
      expect(e.localized['zh-CN']).toContain('上传过程中被修改');
      expect(await n.exists(`/root/${name}.bin`)).toBe(false);
      expect((await n.execOk('ls -A /root')).split('\n').filter((x) => x.startsWith(`.${name}.bin.`))).toEqual([]);
    }
  });

  it('stops on cancel and keeps the partial file for the next attempt', async () => {
    const n = l.node(1);
    const f = file('cancel.bin', 4 << 20);
    const s = await session(n);
    const ac = new AbortController();
    const e = await uploadFile(s, f.path, '/root/cancel.bin', {
      signal: ac.signal,
      blockSize: 64 << 10,
      progressIntervalMs: 0,
      onProgress: (p) => p.sent > 1 << 20 && ac.abort(),
    }).catch((x: unknown) => x);
    expect((e as { reason?: string }).reason).toBe('cancelled');
    const r = await uploadFile(s, f.path, '/root/cancel.bin');
    expect(r.resumedFrom).toBeGreaterThan(0);
    expect(r.sha256).toBe(f.sha256);
  });
});
