/**
 * The archive a restore run reads, shared by its steps and by the deployment steps it reuses: verified whole once per
 * run (before anything changes on a node), its key material kept in memory for the secrets and CSRF steps, its dump
 * streamed to node 1 when the database step runs. A run that is not a restore has no source, and those steps take the
 * key material from node 1 as a deployment does.
 */
import type { Readable } from 'node:stream';
import { posix } from 'node:path';
import { L } from '../../../../shared/i18n/localized';
import type { RestoreInput } from '../../../../shared/api/contracts/maintenance';
import type { Profile } from '../../../../shared/profile';
import { deployError } from '../../deploy/remote';
import { memberStream, verifyArchive } from '../../maintenance/archive';
import { ARCHIVE_ROOT, type BackupManifest, type ManifestPart } from '../../maintenance/manifest';
import type { Ctx } from '../common/context';
import type { HarborEnv } from '../env';
import type { KeyFile } from '../node';

/** What the maintenance service starts a restore run with (StartRequest.input), tagged so steps can tell. */
export interface RestoreRunInput extends RestoreInput {
  readonly kind: 'restore';
}

export function restoreInputOf(env: HarborEnv): RestoreRunInput | null {
  const i = env.input as RestoreRunInput | undefined;
  if (i?.kind !== 'restore') return null;
  env.redactor.add(i.passphrase);
  return i;
}

export interface RestoreSource {
  readonly file: string;
  readonly manifest: BackupManifest;
  /** The dump's entry in the manifest. */
  readonly dump: ManifestPart;
  /** The key files and the CSRF line, by their name in the archive (below ARCHIVE_ROOT). */
  readonly keys: ReadonlyMap<string, string>;
  /** The dump's bytes, decrypted as they are read. */
  openDump(): Readable;
}

const KEY_PREFIX = 'keys/';
const CSRF_MEMBER = `${KEY_PREFIX}CSRF_KEY`;
const inRoot = (name: string) => name.slice(ARCHIVE_ROOT.length + 1);

/**
 * The run's archive, verified whole against its manifest (every member's sha256) once per run; null when the run is
 * not a restore. Progress goes to the step that asked first.
 */
export function restoreSource(ctx: Ctx): Promise<RestoreSource> | null {
  const input = restoreInputOf(ctx);
  if (!input) return null;
  return ctx.once('restore-source', async () => {
    ctx.log.line(L(`reading ${input.file} whole against its manifest`, `正在按清单完整读取并校验 ${input.file}`));
    const verified = await verifyArchive(input.file, input.passphrase, {
      keep: (name) => inRoot(name).startsWith(KEY_PREFIX),
      progress: (done, total) => ctx.log.progress(done, total, 'bytes'),
    });
    const dump = verified.manifest.parts.find((p) => p.kind === 'database');
    if (!dump)
      throw deployError(
        input.file,
        L('The archive holds no database dump: it cannot be restored.', '归档中没有数据库导出文件：无法恢复。'),
        'missing_member',
        'file',
      );
    const keys = new Map<string, string>();
    for (const [name, bytes] of verified.kept) {
      const text = bytes.toString('utf8');
      ctx.redactor.add(text.trim());
      keys.set(inRoot(name), text);
    }
    const csrf = /^CSRF_KEY=(.*)$/m.exec(keys.get(CSRF_MEMBER) ?? '')?.[1];
    if (csrf) ctx.redactor.add(csrf);
    return {
      file: input.file,
      manifest: verified.manifest,
      dump,
      keys,
      openDump: () => memberStream(input.file, input.passphrase, inRoot(dump.name)),
    };
  });
}

/**
 * A key file of the target profile as the archive holds it: by the same path, else by its path below the data volume
 * (a drill on fresh nodes may use another data volume than the cluster backed up). Null when the archive lacks it.
 */
export function archivedKey(source: RestoreSource, p: Profile, file: KeyFile): string | null {
  const exact = source.keys.get(`${KEY_PREFIX}${file.path.replace(/^\/+/, '')}`);
  if (exact !== undefined) return exact;
  const dv = p.options.dataVolume.replace(/\/+$/, '');
  if (!dv || !file.path.startsWith(`${dv}/`)) return null;
  const below = file.path.slice(dv.length);
  const matches = [...source.keys.keys()].filter((k) => k !== CSRF_MEMBER && posix.join('/', k).endsWith(below));
  return matches.length === 1 ? source.keys.get(matches[0]!)! : null;
}

/** The CSRF key the archive holds (2.x), null when it has none. */
export function archivedCsrfKey(source: RestoreSource): string | null {
  return /^CSRF_KEY=(.*)$/m.exec(source.keys.get(CSRF_MEMBER) ?? '')?.[1]?.trim() || null;
}
