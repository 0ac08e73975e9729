/** The Files panel's core against a real OpenSSH node of the lab: SFTP browsing, the editor's atomic write, downloads and uploads with resume. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors';
import { AuditLog } from '../../electron/core/audit';
import { RemoteFilesService } from '../../electron/core/files/remote-service';
import { partialOf } from '../../electron/core/files/remote-download';
import { Redactor } from '../../electron/core/log';
import { KnownHosts } from '../../electron/core/ssh/known-hosts';
import { SshPool } from '../../electron/core/ssh/pool';
import * as lab from '../lab';

let l: lab.Lab;
let dir: string;
let pool: SshPool;
let audit: AuditLog;
let files: RemoteFilesService;
const P = 'lab';
const N = 'n1';

beforeAll(async () => {
  l = await lab.up({ nodes: 1, services: [] });
  dir = mkdtempSync(join(tmpdir(), 'remote-files-test-'));
  const n = l.node(1);
  writeFileSync(join(dir, 'known_hosts'), `${n.knownHostsLine}\n`);
  const redactor = new Redactor();
  audit = new AuditLog(join(dir, 'audit.log'), redactor);
  pool = new SshPool({
    knownHosts: new KnownHosts(join(dir, 'known_hosts')),
    audit,
    redactor,
    resolve: () => ({
      label: n.name,
      host: n.address,
      port: n.port,
      user: 'root',
      auth: { kind: 'key', keyPath: n.privateKeyPath },
      jumps: [],
    }),
  });
  files = new RemoteFilesService({ pool, audit, progressIntervalMs: 0 });
}, 180_000);

afterAll(async () => {
  files?.closeAll();
  pool?.closeAll();
  rmSync(dir, { recursive: true, force: true });
  await l?.down();
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('browsing', () => {
  it('lists a folder by name with kind, size, mode, owner and mtime, and says where links point', async () => {
    const n = l.node(1);
    await n.execOk(
      'rm -rf /srv/b && mkdir -p /srv/b/sub && printf hello > /srv/b/a.txt && chmod 640 /srv/b/a.txt && chown 1234:2345 /srv/b/a.txt && ln -s a.txt /srv/b/link && ln -s /nowhere /srv/b/dangling && touch -d @1700000000 /srv/b/a.txt',
    );
    expect((await files.list(P, N, '~')).path).toBe('/root');
    const r = await files.list(P, N, '/srv/b/sub/..');
    expect(r.path).toBe('/srv/b');
    expect(r.truncated).toBe(false);
    expect(r.entries.map((e) => e.name)).toEqual(['a.txt', 'dangling', 'link', 'sub']);
    const [a, dangling, link, sub] = r.entries;
    expect(a).toMatchObject({ kind: 'file', size: 5, mode: 0o640, uid: 1234, gid: 2345, owner: '1234', group: '2345', mtime: 1700000000 });
    expect(link).toMatchObject({ kind: 'link', target: 'a.txt', targetKind: 'file' });
    expect(dangling).toMatchObject({ kind: 'link', target: '/nowhere', targetKind: 'missing' });
    expect(sub).toMatchObject({ kind: 'dir', owner: 'root', group: 'root' });
    const logged = audit.read().find((e) => e.command === 'sftp ls /srv/b/sub/..');
    expect(logged).toMatchObject({ purpose: 'files: list', exitCode: 0 });
  });

  it('lists a folder of thousands of entries whole, each once (the folder is read with several requests in flight)', async () => {
    const n = l.node(1);
    await n.execOk("rm -rf /srv/many && mkdir -p /srv/many && cd /srv/many && seq -f 'f-%04g' 1 2345 | xargs touch");
    const r = await files.list(P, N, '/srv/many');
    const expected = (await n.execOk('ls -A /srv/many')).trim().split('\n').sort();
    expect(r.entries.map((e) => e.name)).toEqual(expected);
    expect(r.entries).toHaveLength(2345);
  });

  it('creates a folder, renames without replacing, changes permissions', async () => {
    const n = l.node(1);
    await n.execOk('rm -rf /srv/c && mkdir -p /srv/c && echo x > /srv/c/taken');
    await files.mkdir(P, N, '/srv/c/new');
    expect((await n.execOk('stat -c %F /srv/c/new')).trim()).toBe('directory');
    await files.rename(P, N, '/srv/c/new', '/srv/c/renamed');
    expect(await n.exists('/srv/c/renamed')).toBe(true);
    const e = await refusal(files.rename(P, N, '/srv/c/renamed', '/srv/c/taken'));
    expect(e).toMatchObject({ code: 'conflict', reason: 'exists' });
    expect((await n.execOk('cat /srv/c/taken')).trim()).toBe('x');
    await files.chmod(P, N, '/srv/c/taken', 0o600);
    expect((await n.execOk('stat -c %a /srv/c/taken')).trim()).toBe('600');
    const missing = await refusal(files.mkdir(P, N, '/srv/c/no/such'));
    expect(missing.code).toBe('not_found');
    expect(missing.localized['zh-CN']).toContain('不存在');
  });

  it('deletes files and empty folders, and a folder with entries only when the operator named it', async () => {
    const n = l.node(1);
    await n.execOk('rm -rf /srv/d && mkdir -p /srv/d/empty /srv/d/full/deep && echo 1 > /srv/d/f && echo 2 > /srv/d/full/deep/g');
    await files.remove(P, N, '/srv/d/f', undefined);
    await files.remove(P, N, '/srv/d/empty', undefined);
    expect(await n.exists('/srv/d/f')).toBe(false);
    expect(await n.exists('/srv/d/empty')).toBe(false);
    const unconfirmed = await refusal(files.remove(P, N, '/srv/d/full', undefined));
    expect(unconfirmed).toMatchObject({ code: 'conflict', reason: 'not_empty' });
    const wrong = await refusal(files.remove(P, N, '/srv/d/full', '/srv/d'));
    expect(wrong.reason).toBe('not_empty');
    expect(await n.exists('/srv/d/full/deep/g')).toBe(true);
    await files.remove(P, N, '/srv/d/full', '/srv/d/full/');
    expect(await n.exists('/srv/d/full')).toBe(false);
    const root = await refusal(files.remove(P, N, '/', '/'));
    expect(root.reason).toBe('protected');
  });
});

describe('the editor', () => {
  it('reads a text file with its sha256, and writes atomically keeping mode and owner (a new inode, renamed over)', async () => {
    const n = l.node(1);
    const text = 'hostname: reg.example.com\nharbor_admin_password: Secret-Not-In-Audit-1\n';
    await n.writeFile('/opt/harbor/harbor.yml', text);
    await n.execOk('chmod 640 /opt/harbor/harbor.yml && chown 1000:1001 /opt/harbor/harbor.yml');
    const inodeBefore = (await n.execOk('stat -c %i /opt/harbor/harbor.yml')).trim();
    const read = await files.readText(P, N, '/opt/harbor/harbor.yml');
    expect(read).toMatchObject({ content: text, sha256: sha(text), mode: 0o640, uid: 1000, gid: 1001 });
    const edited = text.replace('reg.example.com', 'registry.example.com');
    const w = await files.writeText(P, N, '/opt/harbor/harbor.yml', edited, read.sha256);
    expect(w).toEqual({ status: 'written', sha256: sha(edited) });
    expect(await n.readText('/opt/harbor/harbor.yml')).toBe(edited);
    expect((await n.execOk('stat -c %a:%u:%g /opt/harbor/harbor.yml')).trim()).toBe('640:1000:1001');
    // Atomic: the new content came as another file renamed over the old one, and no temporary file is left.
    expect((await n.execOk('stat -c %i /opt/harbor/harbor.yml')).trim()).not.toBe(inodeBefore);
    expect((await n.execOk('ls -A /opt/harbor')).trim()).toBe('harbor.yml');
    // The audit names the action and the path, never the content.
    const log = readFileSync(join(dir, 'audit.log'), 'utf8');
    expect(log).toContain('sftp put /opt/harbor/harbor.yml');
    expect(log).not.toContain('Secret-Not-In-Audit-1');
  });

  it('does not write over a copy that changed since it was read: it answers the copy now', async () => {
    const n = l.node(1);
    await n.writeFile('/etc/app.conf', 'a=1\n');
    const read = await files.readText(P, N, '/etc/app.conf');
    await n.writeFile('/etc/app.conf', 'a=2\n');
    const w = await files.writeText(P, N, '/etc/app.conf', 'a=3\n', read.sha256);
    expect(w).toMatchObject({ status: 'changed', current: { content: 'a=2\n', sha256: sha('a=2\n') } });
    expect(await n.readText('/etc/app.conf')).toBe('a=2\n');
  });

  it('edits the file a link names and keeps the link', async () => {
    const n = l.node(1);
    await n.execOk('mkdir -p /srv/e && printf "x=1\\n" > /srv/e/real.cfg && ln -sfn /srv/e/real.cfg /srv/e/link.cfg');
    const read = await files.readText(P, N, '/srv/e/link.cfg');
    await files.writeText(P, N, '/srv/e/link.cfg', 'x=2\n', read.sha256);
    expect((await n.execOk('readlink /srv/e/link.cfg')).trim()).toBe('/srv/e/real.cfg');
    expect(await n.readText('/srv/e/real.cfg')).toBe('x=2\n');
  });

  it('refuses binary files, files that are not UTF-8, folders and files over 1 MiB, in both languages', async () => {
    const n = l.node(1);
    await n.writeFile('/srv/bin.dat', Buffer.from([0x41, 0x00, 0x42]));
    await n.writeFile('/srv/latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await n.execOk('head -c 1048577 /dev/zero | tr "\\0" a > /srv/big.txt');
    for (const [path, reason] of [
      ['/srv/bin.dat', 'binary'],
      ['/srv/latin1.txt', 'binary'],
      ['/srv', 'not_a_file'],
      ['/srv/big.txt', 'too_large'],
    ] as const) {
      const e = await refusal(files.readText(P, N, path));
      expect(e).toMatchObject({ code: 'conflict', reason });
      expect(e.localized.en).toContain(path);
      expect(e.localized['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('downloads and uploads', () => {
  it('downloads a file with progress, verified; a cut download resumes from the checked partial file', async () => {
    const n = l.node(1);
    const data = randomBytes(24 << 20);
    await n.writeFile('/srv/big.bin', data);
    const into = join(dir, 'dl');
    mkdirSync(into);
    // A partial file as a cut download leaves it: the first 10 MiB.
    writeFileSync(partialOf(join(into, 'big.bin')), data.subarray(0, 10 << 20));
    const { jobId } = await files.download({ profileId: P, nodeId: N, remotePath: '/srv/big.bin', localFolder: into });
    const seen: number[] = [];
    files.subscribe(jobId, (s) => seen.push(s.bytes));
    const end = await files.wait(jobId)!;
    expect(end).toMatchObject({ status: 'done', files: 1, fileCount: 1, bytes: 24 << 20, total: 24 << 20, resumed: 10 << 20 });
    expect(sha(readFileSync(join(into, 'big.bin')))).toBe(sha(data));
    expect(existsSync(partialOf(join(into, 'big.bin')))).toBe(false);
    expect(seen.length).toBeGreaterThan(2);
    expect(Math.min(...seen.filter((b) => b > 0))).toBeGreaterThanOrEqual(10 << 20);

    // A partial file that is not the node's prefix is not trusted: the download starts over and is still right.
    rmSync(join(into, 'big.bin'));
    writeFileSync(partialOf(join(into, 'big.bin')), randomBytes(1 << 20));
    const again = await files.wait(
      (await files.download({ profileId: P, nodeId: N, remotePath: '/srv/big.bin', localFolder: into })).jobId,
    )!;
    expect(again).toMatchObject({ status: 'done', resumed: 0 });
    expect(sha(readFileSync(join(into, 'big.bin')))).toBe(sha(data));
  });

  it('cancels a download, keeping the partial file, and the next one resumes', async () => {
    const n = l.node(1);
    const data = randomBytes(64 << 20);
    await n.writeFile('/srv/cut.bin', data);
    const into = join(dir, 'cut');
    mkdirSync(into);
    const { jobId } = await files.download({ profileId: P, nodeId: N, remotePath: '/srv/cut.bin', localFolder: into });
    await new Promise<void>((resolve) => {
      const stop = files.subscribe(jobId, (s) => {
        if (s.bytes > 0 && s.status === 'running' && files.cancel(jobId)) resolve();
        if (s.status !== 'running') resolve();
      });
      void stop;
    });
    const cut = await files.wait(jobId)!;
    expect(cut.status).toBe('cancelled');
    const kept = statSync(partialOf(join(into, 'cut.bin'))).size;
    expect(kept).toBeGreaterThan(0);
    const next = await files.wait(
      (await files.download({ profileId: P, nodeId: N, remotePath: '/srv/cut.bin', localFolder: into })).jobId,
    )!;
    expect(next).toMatchObject({ status: 'done', resumed: kept });
    expect(sha(readFileSync(join(into, 'cut.bin')))).toBe(sha(data));
  });

  it('downloads and uploads whole folders, recursively', async () => {
    const n = l.node(1);
    await n.execOk(
      'rm -rf /srv/tree && mkdir -p /srv/tree/a/b /srv/tree/empty && echo one > /srv/tree/1.txt && head -c 300000 /dev/urandom > /srv/tree/a/b/2.bin',
    );
    const into = join(dir, 'trees');
    mkdirSync(into);
    const down = await files.wait((await files.download({ profileId: P, nodeId: N, remotePath: '/srv/tree', localFolder: into })).jobId)!;
    expect(down).toMatchObject({ status: 'done', files: 2, fileCount: 2 });
    expect(readFileSync(join(into, 'tree', '1.txt'), 'utf8')).toBe('one\n');
    expect(sha(readFileSync(join(into, 'tree', 'a', 'b', '2.bin')))).toBe(sha(await n.readFile('/srv/tree/a/b/2.bin')));
    expect(statSync(join(into, 'tree', 'empty')).isDirectory()).toBe(true);

    writeFileSync(join(into, 'tree', 'added.txt'), 'new\n');
    await n.execOk('mkdir -p /srv/up');
    const up = await files.wait(
      (await files.upload({ profileId: P, nodeId: N, localPath: join(into, 'tree'), remoteFolder: '/srv/up' })).jobId,
    )!;
    expect(up).toMatchObject({ status: 'done', files: 3, fileCount: 3 });
    expect(await n.readText('/srv/up/tree/added.txt')).toBe('new\n');
    expect(sha(await n.readFile('/srv/up/tree/a/b/2.bin'))).toBe(sha(await n.readFile('/srv/tree/a/b/2.bin')));
    expect((await n.execOk('stat -c %F /srv/up/tree/empty')).trim()).toBe('directory');
  });

  it('refuses a local folder that does not exist, and a download over a different local file', async () => {
    const missing = await refusal(files.download({ profileId: P, nodeId: N, remotePath: '/etc/hostname', localFolder: join(dir, 'nope') }));
    expect(missing.code).toBe('invalid_input');
    const into = join(dir, 'clash');
    mkdirSync(into);
    writeFileSync(join(into, 'hostname'), 'mine\n');
    const end = await files.wait(
      (await files.download({ profileId: P, nodeId: N, remotePath: '/etc/hostname', localFolder: into })).jobId,
    )!;
    expect(end).toMatchObject({ status: 'failed', error: { code: 'conflict', reason: 'exists' } });
    expect(readFileSync(join(into, 'hostname'), 'utf8')).toBe('mine\n');
  });
});
