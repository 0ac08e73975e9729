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
  'maintenance.verify': call(
    z.object({ file: folder, passphrase }).strict(),
    'Decrypts and reads an archive once, checking every member against its manifest; answers the manifest.',
  ).returns<ArchiveReport>(),
} as const;
