/**
 * What a backup archive says about itself: its last member, `MANIFEST.json`, lists every other member with its size
 * and sha256, the Harbor it came from and what the archive does not hold (the images, which stay in OSS). Nothing in
 * it is secret; the archive is still encrypted whole, so even the file names of the key material stay private.
 */
import { z } from 'zod';

/** The archive layout this code writes and reads; a newer one is refused with a clear message, never half-read. */
export const BACKUP_SCHEMA_VERSION = 1;
export const BACKUP_FORMAT = 'harbor-ha-backup';
/** Every member lives under this folder, so `tar -x` by hand never scatters files into the current directory. */
export const ARCHIVE_ROOT = 'harbor-backup';
export const MANIFEST_NAME = `${ARCHIVE_ROOT}/MANIFEST.json`;

/** What a member is, so a restore (by the app or by hand) knows what to do with it. */
export const partKind = z.enum(['database', 'key', 'config', 'profile', 'readme']);
export type PartKind = z.infer<typeof partKind>;

const part = z
  .object({
    /** The member's name in the tar, under ARCHIVE_ROOT. */
    name: z.string().min(1).max(500),
    kind: partKind,
    size: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Where it came from: the node's path, or the tool that made it. */
    source: z.string().max(500),
  })
  .strict();
export type ManifestPart = z.infer<typeof part>;

export const manifestSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    schemaVersion: z.number().int().positive(),
    createdAt: z.string(),
    runId: z.string(),
    /** The version of the app that wrote it. */
    app: z.string(),
    profile: z.object({ id: z.string(), name: z.string() }).strict(),
    harbor: z.object({ generation: z.enum(['v1', 'v2']), version: z.string() }).strict(),
    database: z
      .object({
        engine: z.enum(['postgresql', 'mysql']),
        name: z.string(),
        /** `pg_dump -Fc` (pg_restore reads it) or `mysqldump` (SQL text). */
        format: z.enum(['pg_dump-custom', 'mysqldump-sql']),
        /** The client that made it: the one in Harbor's own harbor-db image on node 1. */
        tool: z.string(),
      })
      .strict(),
    storage: z
      .object({
        kind: z.string(),
        /** What the object store keeps of the images, and what a restore therefore relies on. */
        versioning: z.enum(['enabled', 'suspended', 'off', 'unknown', 'not-applicable']),
      })
      .strict(),
    parts: z.array(part),
  })
  .strict();
export type BackupManifest = z.infer<typeof manifestSchema>;
