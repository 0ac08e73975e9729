/**
 * Day-two maintenance (docs/maintenance.md): backups of a cluster into passphrase-encrypted archives in a folder the
 * operator chooses, their list and their verification. A backup is a run of the deployment engine (operation
 * `backup`): its cells, log and progress come through deploy.events, deploy.run and deploy.cancel like a deployment's.
 */
import { z } from 'zod';
import { call } from '../define';
import { runId } from './deploy';
import { profileId } from './profiles';

const folder = z.string().trim().min(1).max(4096);
/** age's scrypt recipient takes any passphrase; under 8 characters it protects the cluster's keys too little. */
const passphrase = z.string().min(8, 'at least 8 characters').max(1024);

/** What a backup run reads (StartRequest.input); the passphrase stays in memory for the run, never in its journal. */
export const backupInput = z
  .object({
    /** An existing folder on the machine running the core: archives are written there. */
    folder,
    /** The newest archives of this profile kept in the folder; older ones are removed after a verified backup. */
    keep: z.number().int().min(1).max(1000).default(7),
    passphrase,
  })
  .strict();
export type BackupInput = z.infer<typeof backupInput>;

/**
 * A certificate rotation's new certificate (docs/maintenance.md "Certificate rotation"): the PEM chain, and with TLS on
 * the nodes its key as a token the core staged (files.stagePrivateKey, tls.generate), so the key never crosses the UI.
 * Checked, then saved into the profile before the run starts.
 */
export const rotateCertInput = z
  .object({
    certificate: z.string().trim().min(1).max(65_536),
    privateKey: z
      .object({ staged: z.string().regex(/^stg_[A-Za-z0-9_-]{16,64}$/) })
      .strict()
      .optional(),
  })
  .strict();
export type RotateCertInput = z.infer<typeof rotateCertInput>;

/**
 * What a restore run reads: the archive and its passphrase, and the database host typed again when the database holds
 * Harbor data or the cluster serves (a restore replaces the first and stops the second).
 */
export const restoreInput = z
  .object({
    /** A backup archive on the machine running the core. */
    file: folder,
    passphrase: z.string().min(1).max(1024),
    confirmation: z.string().trim().max(255).optional(),
  })
  .strict();
export type RestoreInput = z.infer<typeof restoreInput>;

/** A Harbor release version, as its installer names it. */
const releaseVersion = z
  .string()
  .trim()
  .regex(/^\d+\.\d+\.\d+$/, 'a release version such as 2.15.2');

/**
 * What an upgrade run reads: the version to go to and its offline installer, and a backup first (the rollback
 * restores it) or, to skip it, the operator's reason in words, recorded with the run.
 */
export const upgradeInput = z
  .object({
    version: releaseVersion,
    /** The new version's offline installer (harbor-offline-installer-vX.Y.Z.tgz) on the machine running the core. */
    installer: z.string().trim().min(1).max(4096),
    backup: z.union([
      z.object({ folder, keep: z.number().int().min(1).max(1000).default(7), passphrase }).strict(),
      z.object({ skip: z.string().trim().min(10, 'say why in at least 10 characters').max(500) }).strict(),
    ]),
  })
  .strict();
export type UpgradeInput = z.infer<typeof upgradeInput>;

/** What rolls back a failed upgrade: the passphrase of its backup, and the database host typed again. */
export const rollbackInput = z.object({ passphrase: z.string().min(1).max(1024), confirmation: z.string().trim().max(255) }).strict();
export type RollbackInput = z.infer<typeof rollbackInput>;

/** The upgrades of a profile the app made, newest first: what a rollback needs to know. */
export interface UpgradeRecord {
  readonly runId: string;
  /** `installer` as the operator reads it; `spec` the profile's installer as it was, which a rollback puts back. */
  readonly from: { readonly version: string; readonly installer: string; readonly spec?: Readonly<Record<string, unknown>> };
  readonly to: { readonly version: string; readonly installer: string };
  /** The archive its backup writes (absent when the backup was skipped). */
  readonly archive?: string;
  /** Why the operator skipped the backup. */
  readonly skipped?: string;
  readonly at: string;
}

export interface ArchiveEntry {
  /** The archive's full path. */
  readonly file: string;
  readonly name: string;
  readonly size: number;
  readonly modifiedAt: string;
  /** The run that made it (from its name). */
  readonly runId: string;
}

export interface ArchiveReport {
  readonly file: string;
  readonly createdAt: string;
  readonly profileName: string;
  readonly harborVersion: string;
  readonly generation: 'v1' | 'v2';
  readonly database: { readonly engine: 'postgresql' | 'mysql'; readonly name: string; readonly format: string };
  readonly storage: { readonly kind: string; readonly versioning: string };
  readonly parts: readonly { readonly name: string; readonly kind: string; readonly size: number; readonly sha256: string }[];
  /** Bytes decrypted and checked. */
  readonly bytes: number;
}

/** The folder and retention of the profile's last backup, for the next one. */
export interface BackupSettings {
  readonly folder: string | null;
  readonly keep: number;
}

export const maintenanceContract = {
  'maintenance.backup': call(
    z.object({ profileId, ...backupInput.shape }).strict(),
    "Starts a backup run of the profile's cluster (database dump from node 1, key material, configuration, sealed profile) into an age-encrypted archive in the folder; answers its id.",
  ).returns<{ runId: string }>(),
  'maintenance.resumeBackup': call(
    z.object({ runId, ...backupInput.shape }).strict(),
    'Continues a backup run that failed or was interrupted (the dump already on node 1 is reused); the passphrase is asked again.',
  ).returns<{ runId: string }>(),
  'maintenance.backupSettings': call(
    z.object({ profileId }).strict(),
    "The folder and retention of the profile's last backup (null folder: none yet).",
  ).returns<BackupSettings>(),
  'maintenance.archives': call(
    z.object({ profileId, folder }).strict(),
    "The profile's backup archives in the folder, newest first.",
  ).returns<ArchiveEntry[]>(),
  'maintenance.rotateCert': call(
    z.object({ profileId, ...rotateCertInput.shape }).strict(),
    "Checks a new certificate (key matches, names the domain, not expired, chain in order; each problem names its field), saves it into the profile, and starts a rotation run: with TLS on the nodes each node in turn gets it and restarts its proxy, healthy and presenting it before the next; with TLS at the load balancer, the profile's pin is checked against what the load balancer presents. Answers the run's id.",
  ).returns<{ runId: string }>(),
  'maintenance.restore': call(
    z.object({ profileId, ...restoreInput.shape }).strict(),
    "Starts a restore run of an archive into the profile's cluster (the same one, or a new profile on fresh nodes): the archive verified whole, Harbor stopped on every node, the database replaced from the dump, the key material on every node, node 1 installed first, then the rest, then verified. Refused over a database holding Harbor data or a serving cluster unless `confirmation` is the database host.",
  ).returns<{ runId: string }>(),
  'maintenance.resumeRestore': call(
    z.object({ runId, ...restoreInput.shape }).strict(),
    'Continues a restore run that failed or was interrupted; the passphrase (and the confirmation) are asked again.',
  ).returns<{ runId: string }>(),
  'maintenance.upgrade': call(
    z.object({ profileId, ...upgradeInput.shape }).strict(),
    "Saves the new version and installer into the profile and starts an upgrade run: the running version checked, a backup first (or skipped with a reason), the new installer unpacked, every node stopped, node 1 installed first (its core migrates the schema), then the others, then verified. Answers the run's id.",
  ).returns<{ runId: string }>(),
  'maintenance.resumeUpgrade': call(
    z.object({ runId, backup: upgradeInput.shape.backup }).strict(),
    "Continues an upgrade run that failed or was interrupted (the backup's passphrase is asked again).",
  ).returns<{ runId: string }>(),
  'maintenance.upgrades': call(z.object({ profileId }).strict(), "The profile's upgrades, newest first.").returns<UpgradeRecord[]>(),
  'maintenance.rollbackUpgrade': call(
    z.object({ runId, ...rollbackInput.shape }).strict(),
    'Rolls back an upgrade: the profile set back to the version and installer it came from, then a restore run of the backup the upgrade took (the database as it was, the old version installed everywhere). Answers the restore run id.',
  ).returns<{ runId: string }>(),
  'maintenance.verify': call(
    z.object({ file: folder, passphrase }).strict(),
    'Decrypts and reads an archive once, checking every member against its manifest; answers the manifest.',
  ).returns<ArchiveReport>(),
} as const;
