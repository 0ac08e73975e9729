/**
 * The backup archive on its own, with real files: what it writes Debian's age opens; every way it can be wrong is
 * refused naming why (passphrase, a member that changed, a cut-off file, a source that ended short); retention touches
 * only the profile's own archives; the harbor-db image is chosen from what node 1 has.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseHarborDbImage } from '../../electron/core/harbor/backup/dump';
import { memberStream, verifyArchive, writeArchive, type ArchiveMember, type ManifestHead } from '../../electron/core/maintenance/archive';
import { payloadOf } from '../../electron/core/maintenance/age';
import { ArchiveReadBack } from '../../electron/core/maintenance/read-back';
import { archiveName, listArchives, pruneArchives } from '../../electron/core/maintenance/retention';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { v1Profile, v2Profile } from '../helpers/profiles';

const dir = mkdtempSync(join(tmpdir(), 'backup-archive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASSPHRASE = 'unit test passphrase 42';
const HEAD: ManifestHead = {
  createdAt: '2026-12-07T10:00:00.000Z',
  runId: '2026-12-07T10-00-00-000Z-abcdef',
  app: 'test',
  profile: { id: 'p', name: 'P' },
  harbor: { generation: 'v2', version: '2.15.2' },
  database: { engine: 'postgresql', name: 'registry', format: 'pg_dump-custom', tool: 'pg_dump' },
  storage: { kind: 'oss', versioning: 'off' },
};
const dump = Buffer.alloc(3 << 20);
for (let i = 0; i < dump.length; i++) dump[i] = (i * 31) & 0xff;
const members = (): ArchiveMember[] => [
  { name: 'keys/data/secret/keys/secretkey', kind: 'key', source: '/data/secret/keys/secretkey', content: Buffer.from('0123456789abcdef') },
  // in two chunks, as a channel delivers it
  {
    name: 'database/registry.pgdump',
    kind: 'database',
    source: 'pg_dump',
    content: { size: dump.length, open: async () => Readable.from([dump.subarray(0, 100_000), dump.subarray(100_000)]) },
  },
];

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('the backup archive', () => {
  const file = join(dir, 'a.tar.age');

  it('is an age file holding a tar that the standard tools open, with the manifest last', async () => {
    const { manifest, readBack } = await writeArchive(file, PASSPHRASE, HEAD, members());
    expect(manifest.parts.map((p) => p.name)).toEqual([
      'harbor-backup/keys/data/secret/keys/secretkey',
      'harbor-backup/database/registry.pgdump',
    ]);
    expect(readdirSync(dir)).toEqual(['a.tar.age']);
    const r = spawnSync('script', ['-qec', `age -d -o '${dir}/a.tar' '${file}'`, '/dev/null'], { input: `${PASSPHRASE}\n` });
    expect(r.status).toBe(0);
    const list = spawnSync('tar', ['-tf', `${dir}/a.tar`], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    expect(list).toEqual([...manifest.parts.map((p) => p.name), 'harbor-backup/MANIFEST.json']);
    const out = spawnSync('tar', ['-xOf', `${dir}/a.tar`, 'harbor-backup/database/registry.pgdump'], { maxBuffer: 16 << 20 }).stdout;
    expect(Buffer.compare(out, dump)).toBe(0);
    // What the writer read back beside itself is the tar Debian's age decrypts.
    const tarBytes = readFileSync(`${dir}/a.tar`);
    expect(readBack).toEqual({ sha256: createHash('sha256').update(tarBytes).digest('hex'), bytes: tarBytes.length });
    rmSync(`${dir}/a.tar`);
    const verified = await verifyArchive(file, PASSPHRASE);
    expect(verified.manifest).toEqual(manifest);
  });

  it('keeps the small members asked for while verifying, and streams one member back byte for byte', async () => {
    const verified = await verifyArchive(file, PASSPHRASE, { keep: (n) => n.includes('/keys/') });
    expect([...verified.kept.keys()]).toEqual(['harbor-backup/keys/data/secret/keys/secretkey']);
    expect(verified.kept.get('harbor-backup/keys/data/secret/keys/secretkey')!.toString()).toBe('0123456789abcdef');
    const chunks: Buffer[] = [];
    for await (const c of memberStream(file, PASSPHRASE, 'database/registry.pgdump')) chunks.push(c as Buffer);
    expect(Buffer.compare(Buffer.concat(chunks), dump)).toBe(0);
    const missing = await refusal(
      (async () => {
        for await (const _ of memberStream(file, PASSPHRASE, 'database/none')) void _;
      })(),
    );
    expect(missing.reason).toBe('missing_member');
    const wrong = await refusal(
      (async () => {
        for await (const _ of memberStream(file, 'another passphrase', 'database/registry.pgdump')) void _;
      })(),
    );
    expect(wrong.reason).toBe('wrong_passphrase');
  });

  it('refuses a wrong passphrase, pointing at the field', async () => {
    const e = await refusal(verifyArchive(file, 'another passphrase'));
    expect(e.reason).toBe('wrong_passphrase');
    expect(e.field).toBe('passphrase');
  });

  it('names the member a changed byte falls in, and refuses a file cut off', async () => {
    const bytes = readFileSync(file);
    bytes[bytes.length - 200_000]! ^= 1;
    writeFileSync(join(dir, 'flipped.tar.age'), bytes);
    const flipped = await refusal(verifyArchive(join(dir, 'flipped.tar.age'), PASSPHRASE));
    expect(flipped.reason).toBe('damaged');
    expect(flipped.message).toContain('harbor-backup/database/registry.pgdump');
    // Streamed for a restore, the damaged member fails the stream naming it.
    const streamed = await refusal(
      (async () => {
        for await (const _ of memberStream(join(dir, 'flipped.tar.age'), PASSPHRASE, 'database/registry.pgdump')) void _;
      })(),
    );
    expect(streamed.reason).toBe('damaged');
    expect(streamed.message).toContain('harbor-backup/database/registry.pgdump');

    writeFileSync(join(dir, 'cut.tar.age'), readFileSync(file));
    truncateSync(join(dir, 'cut.tar.age'), 1_000_000);
    expect((await refusal(verifyArchive(join(dir, 'cut.tar.age'), PASSPHRASE))).reason).toBe('damaged');
    rmSync(join(dir, 'flipped.tar.age'));
    rmSync(join(dir, 'cut.tar.age'));
  });

  it('reads an archive back as it grows on disk, and refuses a changed byte or a cut file naming the chunk', async () => {
    const whole = readFileSync(file);
    const { start, key } = await payloadOf(file, PASSPHRASE);
    const growing = join(dir, 'growing.tar.age');
    // Written in three parts, the reader told after each, as the writer's file grows.
    writeFileSync(growing, whole.subarray(0, 100_000));
    const reader = new ArchiveReadBack(growing, key, start);
    reader.onDisk(100_000);
    appendFileSync(growing, whole.subarray(100_000, 2_000_000));
    reader.onDisk(2_000_000);
    appendFileSync(growing, whole.subarray(2_000_000));
    reader.end(whole.length);
    const plain = spawnSync('script', ['-qec', `age -d -o '${dir}/g.tar' '${file}'`, '/dev/null'], { input: `${PASSPHRASE}\n` });
    expect(plain.status).toBe(0);
    const tarBytes = readFileSync(`${dir}/g.tar`);
    rmSync(`${dir}/g.tar`);
    expect(await reader.result).toEqual({ sha256: createHash('sha256').update(tarBytes).digest('hex'), bytes: tarBytes.length });

    const changed = Buffer.from(whole);
    // A byte in the third 64 KiB chunk of the payload (each is stored with its 16-byte tag).
    changed[start + 2 * (64 * 1024 + 16) + 5]! ^= 1;
    writeFileSync(growing, changed);
    const bad = new ArchiveReadBack(growing, key, start);
    bad.end(changed.length);
    await expect(bad.result).rejects.toThrow('chunk 2 fails its integrity check');

    writeFileSync(growing, whole.subarray(0, whole.length - 1000));
    const cut = new ArchiveReadBack(growing, key, start);
    cut.end(whole.length - 1000);
    await expect(cut.result).rejects.toThrow(/fails its integrity check \(or the file was cut\)/);
    rmSync(growing);
  });

  it('keeps nothing when a source ends short of its announced size', async () => {
    const short: ArchiveMember = {
      name: 'database/registry.pgdump',
      kind: 'database',
      source: 'pg_dump on node-1',
      content: { size: 1000, open: async () => Readable.from([Buffer.alloc(600)]) },
    };
    const e = await refusal(writeArchive(join(dir, 'short.tar.age'), PASSPHRASE, HEAD, [short]));
    expect(e.reason).toBe('member_size');
    expect(e.message).toContain('pg_dump on node-1 gave 600 bytes where 1000 were announced');
    expect(readdirSync(dir).filter((f) => f.startsWith('short'))).toEqual([]);
  });
});

describe('retention', () => {
  it("keeps the newest N of the profile's archives and touches nothing else", async () => {
    const folder = mkdtempSync(join(dir, 'keep-'));
    const runs = ['2026-12-01T10-00-00-000Z-aaaaaa', '2026-12-03T10-00-00-000Z-cccccc', '2026-12-02T10-00-00-000Z-bbbbbb'];
    for (const r of runs) writeFileSync(join(folder, archiveName('prod', r)), 'x');
    const others = [
      archiveName('prod-2', runs[0]!),
      'harbor-backup-prod-notes.txt',
      `${archiveName('prod', '2026-11-30T10-00-00-000Z-zzzzzz')}.partial`,
    ];
    for (const o of others) writeFileSync(join(folder, o), 'x');
    expect((await listArchives(folder, 'prod')).map((a) => a.runId)).toEqual([runs[1], runs[2], runs[0]]);
    expect(await pruneArchives(folder, 'prod', 2)).toEqual([archiveName('prod', runs[0]!)]);
    expect(readdirSync(folder).sort()).toEqual([archiveName('prod', runs[1]!), archiveName('prod', runs[2]!), ...others].sort());
  });
});

describe("the harbor-db image of node 1's", () => {
  const v2 = profileSchema.parse(v2Profile((p) => (p.harbor.version = '2.15.2')));
  const v1 = profileSchema.parse(v1Profile((p) => (p.harbor.version = '1.5.4')));
  it("is the profile's version when loaded, else the newest tag of Harbor's repository for the generation", () => {
    expect(chooseHarborDbImage(v2, ['goharbor/harbor-db:v2.14.4', 'goharbor/harbor-db:v2.15.2', 'goharbor/harbor-core:v2.16.0'])).toBe(
      'goharbor/harbor-db:v2.15.2',
    );
    expect(chooseHarborDbImage(v2, ['goharbor/harbor-db:v2.9.1', 'goharbor/harbor-db:v2.14.4'])).toBe('goharbor/harbor-db:v2.14.4');
    expect(chooseHarborDbImage(v1, ['vmware/harbor-db:v1.5.0', 'goharbor/harbor-db:v2.15.2'])).toBe('vmware/harbor-db:v1.5.0');
    expect(chooseHarborDbImage(v2, ['vmware/harbor-db:v1.5.0'])).toBeNull();
  });
});
