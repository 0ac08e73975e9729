/**
 * The backup archive: a tar whose members are the database dump, the key material, the rendered configuration and the
 * sealed profile, with MANIFEST.json last (sizes and sha256 of every member), encrypted whole with a passphrase in the
 * age format (scrypt recipient). Standard tools open it without the app: `age -d backup.tar.age | tar -x`.
 *
 * Both directions stream: a member's bytes go from the node through tar and age into the file as they arrive (and are
 * read back from the disk beside the writer), and verification decrypts and hashes in one pass, so a database of any
 * size never sits whole in memory, and plaintext never touches the desktop's disk.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, pack, type Pack } from 'tar-stream';
import { ApiError } from '../../../shared/errors';
import { AgeError, decrypted as ageDecrypted, encrypter, payloadOf } from './age';
import { ArchiveReadBack, type ReadBack } from './read-back';
import { L, type Localized } from '../../../shared/i18n/localized';
import {
  ARCHIVE_ROOT,
  BACKUP_FORMAT,
  BACKUP_SCHEMA_VERSION,
  MANIFEST_NAME,
  manifestSchema,
  type BackupManifest,
  type ManifestPart,
  type PartKind,
} from './manifest';

/** One member to write: small ones as bytes, large ones (the dump) as a stream of a size known beforehand (tar needs it). */
export interface ArchiveMember {
  /** Below ARCHIVE_ROOT, e.g. `database/registry.pgdump`. */
  readonly name: string;
  readonly kind: PartKind;
  /** Where it came from (a node's path, or the tool that made it), for the manifest. */
  readonly source: string;
  readonly content: Buffer | { readonly size: number; open(): Promise<Readable> };
}

/** What the archive's manifest says besides its members. */
export type ManifestHead = Omit<BackupManifest, 'format' | 'schemaVersion' | 'parts'>;

/** Bytes written (or read back) so far, of the total expected. */
export type ArchiveProgress = (done: number, total: number) => void;

/** The largest manifest read back: it lists a few dozen members, so anything bigger is not ours. */
const MANIFEST_LIMIT = 1 << 20;

function archiveError(message: Localized, reason: string, field?: string): ApiError {
  return new ApiError({ code: 'invalid_input', reason, message, ...(field ? { field } : {}) });
}

/** A passthrough that hashes and counts what flows through it. */
function hashing(onBytes: (n: number) => void = () => undefined) {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

const sizeOf = (m: ArchiveMember) => (Buffer.isBuffer(m.content) ? m.content.length : m.content.size);

/** Adds one member to the tar, hashing it on the way; a stream that ends short or long is an error naming the member. */
async function addMember(tar: Pack, m: ArchiveMember, onBytes: (n: number) => void): Promise<ManifestPart> {
  const name = `${ARCHIVE_ROOT}/${m.name}`;
  const size = sizeOf(m);
  const h = hashing(onBytes);
  const entry = tar.entry({ name, size, mode: 0o600, mtime: new Date() });
  const source = Buffer.isBuffer(m.content) ? Readable.from([m.content]) : await m.content.open();
  try {
    await pipeline(source, h.stream, entry as unknown as Writable);
  } catch (error) {
    const got = h.digest().size;
    if (got !== size)
      throw archiveError(
        L(
          `${m.source} gave ${got} bytes where ${size} were announced; the backup is incomplete and was not kept. Run it again.`,
          `${m.source} 提供了 ${got} 字节，而预期为 ${size} 字节；备份不完整，未保留。请重新运行。`,
        ),
        'member_size',
      );
    throw error;
  }
  const { sha256 } = h.digest();
  return { name, kind: m.kind, size, sha256, source: m.source };
}

/** The archive just written, and what reading it back found. */
export interface WrittenArchive {
  readonly manifest: BackupManifest;
  /** The plaintext (the tar) read back from the file on disk: every chunk opened, its sha256 the one written. */
  readonly readBack: ReadBack;
}

/**
 * Starts reading `file` back once its header is on disk, then tells the reader how far the writer got, until `finish`
 * says where the file ends. The header's key comes from the passphrase anew (scrypt's key is cached for this).
 */
function followWrites(file: string, passphrase: string, out: WriteStream) {
  let reader: Promise<ArchiveReadBack> | null = null;
  const begin = () => (reader ??= payloadOf(file, passphrase).then(({ start, key }) => new ArchiveReadBack(file, key, start)));
  const tell = () => {
    if (out.bytesWritten > 0)
      begin().then(
        (r) => r.onDisk(out.bytesWritten),
        () => undefined,
      );
  };
  // The write stream reports no single write; a look every 25 ms keeps the reader a few MiB behind at most.
  const timer = setInterval(tell, 25);
  return {
    async finish(size: number): Promise<ReadBack> {
      clearInterval(timer);
      const r = await begin();
      r.end(size);
      return r.result;
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await (await reader?.catch(() => null))?.stop();
    },
  };
}

function readBackError(file: string, why: string): ApiError {
  return archiveError(
    L(
      `The archive written to ${file} does not read back as written (${why}); it was not kept. Check that disk and run the backup again.`,
      `写入 ${file} 的归档读回时与写入的不一致（${why}）；未保留。请检查该磁盘后重新运行备份。`,
    ),
    'read_back',
  );
}

/**
 * Writes the archive to `file` (through `file.partial`, renamed once complete, flushed and read back, so a cut-short
 * run never leaves a file that looks like a backup) and answers its manifest and what the read-back found.
 */
export async function writeArchive(
  file: string,
  passphrase: string,
  head: ManifestHead,
  members: readonly ArchiveMember[],
  progress: ArchiveProgress = () => undefined,
): Promise<WrittenArchive> {
  const partial = `${file}.partial`;
  const total = members.reduce((n, m) => n + sizeOf(m), 0);
  let done = 0;
  const tar = pack();
  const plain = hashing();
  // A MiB of sealed chunks may wait while one write is under way, and goes in one writev: at the default 16 KiB, every
  // chunk and tag was a write of its own, a third of the writer's time.
  const out = createWriteStream(partial, { mode: 0o600, highWaterMark: 1 << 20 });
  const follower = followWrites(partial, passphrase, out);
  // tar-stream's streams are streamx, not Node's: read it as the async iterable it is.
  const written = pipeline(Readable.from(tar as unknown as AsyncIterable<Buffer>), plain.stream, await encrypter(passphrase), out);
  // If writing fails (disk full), stop feeding the tar: the error is the writer's.
  written.catch(() => tar.destroy());
  try {
    const parts: ManifestPart[] = [];
    for (const m of members) {
      parts.push(
        await addMember(tar, m, (n) => {
          done += n;
          progress(done, total);
        }),
      );
    }
    const manifest: BackupManifest = { format: BACKUP_FORMAT, schemaVersion: BACKUP_SCHEMA_VERSION, ...head, parts };
    tar.entry({ name: MANIFEST_NAME, mode: 0o600, mtime: new Date() }, `${JSON.stringify(manifest, null, 2)}\n`);
    tar.finalize();
    await written;
    const fd = await open(partial, 'r+');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
    const readBack = await follower.finish(out.bytesWritten).catch((error: unknown) => {
      throw readBackError(file, error instanceof Error ? error.message : String(error));
    });
    const wrote = plain.digest();
    if (readBack.sha256 !== wrote.sha256 || readBack.bytes !== wrote.size)
      throw readBackError(file, `${readBack.bytes} bytes of sha256 ${readBack.sha256}, written ${wrote.size} of ${wrote.sha256}`);
    await rename(partial, file);
    return { manifest, readBack };
  } catch (error) {
    tar.destroy();
    await written.catch(() => undefined);
    await follower.stop();
    await rm(partial, { force: true });
    throw error;
  }
}

/** What verification found: the manifest, which it checked every member against. */
export interface VerifiedArchive {
  readonly manifest: BackupManifest;
  readonly bytes: number;
  /** The members asked to be kept (VerifyOptions.keep), by their name in the archive, checked like the rest. */
  readonly kept: ReadonlyMap<string, Buffer>;
}

export interface VerifyOptions {
  readonly progress?: ArchiveProgress;
  /** Members to keep in memory while verifying (small ones only: the key material a restore puts on the nodes). */
  readonly keep?: (name: string) => boolean;
}

/** The largest member kept in memory: key files and configuration are a few KiB; a dump is never kept. */
const KEPT_LIMIT = 1 << 20;

/** Why age refused the file, in the operator's words. */
function decryptError(error: unknown, member: string | null): ApiError {
  const text = error instanceof Error ? error.message : String(error);
  if (error instanceof AgeError && error.kind === 'passphrase')
    return archiveError(
      L(
        'The passphrase does not open this archive. Enter the passphrase the backup was made with.',
        '该口令无法打开此备份。请输入创建备份时使用的口令。',
      ),
      'wrong_passphrase',
      'passphrase',
    );
  if (member === null || (error instanceof AgeError && error.kind === 'header'))
    return archiveError(
      L(`This file is not a backup archive the app can read (age header: ${text}).`, `此文件不是可读取的备份归档（age 头部：${text}）。`),
      'not_an_archive',
    );
  return archiveError(
    L(
      `The archive is damaged in ${member}: its encryption's integrity check fails (${text}). Use another copy of the backup.`,
      `归档在 ${member} 处已损坏：加密完整性校验失败（${text}）。请使用该备份的其他副本。`,
    ),
    'damaged',
  );
}

/**
 * Decrypts and reads the whole archive once, hashing every member, and checks it against its manifest: the passphrase,
 * the encryption's integrity, each member's size and sha256, and that nothing is missing or added.
 */
export async function verifyArchive(file: string, passphrase: string, options: VerifyOptions = {}): Promise<VerifiedArchive> {
  const progress = options.progress ?? (() => undefined);
  const plain = await decrypted(file, passphrase);
  let current: string | null = null;
  const kept = new Map<string, Buffer>();
  const found = new Map<string, { size: number; sha256: string }>();
  let manifestText = '';
  let bytes = 0;
  const total = (await stat(file)).size;
  const reader = extract();
  const consumed = (async () => {
    for await (const entry of reader) {
      current = entry.header.name;
      const h = hashing((n) => {
        bytes += n;
        progress(Math.min(bytes, total), total);
      });
      if (current === MANIFEST_NAME) {
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          manifestText += chunk.toString('utf8');
          if (manifestText.length > MANIFEST_LIMIT)
            throw archiveError(L('The archive manifest is too large to be ours.', '归档清单过大，不是本应用生成的。'), 'not_an_archive');
        }
      } else {
        const keep = options.keep?.(current) === true;
        const chunks: Buffer[] = [];
        let held = 0;
        await pipeline(
          entry,
          h.stream,
          new Transform({
            transform(chunk: Buffer, _e, done) {
              if (keep && (held += chunk.length) <= KEPT_LIMIT) chunks.push(chunk);
              done();
            },
          }),
        );
        found.set(current, h.digest());
        if (keep && held <= KEPT_LIMIT) kept.set(current, Buffer.concat(chunks));
      }
    }
  })();
  try {
    await Promise.all([pipeline(plain, reader), consumed]);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw decryptError(error, current ?? L('the start of the archive', '归档开头').en);
  }
  if (!manifestText)
    throw archiveError(
      L(
        'The archive has no MANIFEST.json: it is incomplete or not a backup made by the app.',
        '归档中没有 MANIFEST.json：不完整或不是本应用生成的备份。',
      ),
      'no_manifest',
    );
  const parsed = manifestSchema.safeParse(JSON.parse(manifestText));
  if (!parsed.success || parsed.data.schemaVersion > BACKUP_SCHEMA_VERSION)
    throw archiveError(
      L(
        'The archive was written by a newer version of the app (or its manifest is damaged): update the app to read it.',
        '该归档由更新版本的应用写入（或清单已损坏）：请更新应用后再读取。',
      ),
      'unsupported',
    );
  const manifest = parsed.data;
  for (const p of manifest.parts) {
    const got = found.get(p.name);
    if (!got)
      throw archiveError(L(`The archive lacks ${p.name}, which its manifest lists.`, `归档缺少清单中列出的 ${p.name}。`), 'missing_member');
    if (got.size !== p.size || got.sha256 !== p.sha256)
      throw archiveError(
        L(
          `${p.name} differs from the manifest (sha256 ${got.sha256}, expected ${p.sha256}): the archive was changed after it was made.`,
          `${p.name} 与清单不符（sha256 ${got.sha256}，应为 ${p.sha256}）：归档在生成后被修改过。`,
        ),
        'damaged',
      );
    found.delete(p.name);
  }
  const extra = [...found.keys()];
  if (extra.length)
    throw archiveError(
      L(`The archive holds members its manifest does not list: ${extra.join(', ')}.`, `归档中有清单未列出的成员：${extra.join('、')}。`),
      'extra_member',
    );
  return { manifest, bytes, kept };
}

/** The archive's plaintext; a passphrase that does not open it is an error saying so. */
async function decrypted(file: string, passphrase: string): Promise<Readable> {
  try {
    return await ageDecrypted(file, passphrase);
  } catch (error) {
    throw decryptError(error, null);
  }
}

/**
 * One member's bytes as a stream, decrypted as they are read (a restore sends the dump to node 1 this way: it never
 * sits whole in memory or in plaintext on this computer). The members before it are read and dropped; reading stops
 * after it. age authenticates every 64 KiB chunk, so a damaged byte fails the stream, naming the member; the caller
 * compares what arrived with the manifest's sha256, verified whole before.
 */
export function memberStream(file: string, passphrase: string, member: string): Readable {
  const name = `${ARCHIVE_ROOT}/${member}`;
  async function* bytes(): AsyncGenerator<Buffer> {
    const plain = await decrypted(file, passphrase);
    const reader = extract();
    const fed = pipeline(plain, reader);
    // Stopping after the member ends the feed early: that is not an error.
    fed.catch(() => undefined);
    let current: string | null = null;
    try {
      for await (const entry of reader) {
        current = entry.header.name;
        if (current !== name) {
          for await (const _chunk of entry as AsyncIterable<Buffer>) void _chunk;
          continue;
        }
        for await (const chunk of entry as AsyncIterable<Buffer>) yield chunk;
        return;
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw decryptError(error, current ?? L('the start of the archive', '归档开头').en);
    }
    throw archiveError(L(`The archive has no ${name}.`, `归档中没有 ${name}。`), 'missing_member');
  }
  return Readable.from(bytes(), { objectMode: false });
}

/** Removes what a failed write left behind (its `.partial`). */
export async function removePartial(file: string): Promise<void> {
  await rm(`${file}.partial`, { force: true });
}
