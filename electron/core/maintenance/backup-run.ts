/**
 * What a backup run carries besides the engine's environment, shared by the maintenance service that starts it and
 * the Harbor steps that read it: the operator's input with the sealed profile, and the record kept after it.
 */
import { z } from 'zod';
import type { BackupInput } from '../../../shared/api/contracts/maintenance';

/** What the maintenance service starts a backup run with: the operator's input and the profile sealed by the core. */
export interface BackupRunInput extends BackupInput {
  readonly sealedProfile: { readonly fileName: string; readonly content: string };
  /** The app's version, for the manifest. */
  readonly appVersion: string;
  /**
   * The Harbor version the cluster runs, for the manifest, when the profile already names another (an upgrade saves
   * the version it goes to before its run backs up the one it comes from).
   */
  readonly installedVersion?: string;
}

/** What the app keeps about a profile's backups between runs (no secrets): the folder and retention of the last one. */
export const backupRecordSchema = z.object({
  folder: z.string(),
  keep: z.number().int().positive(),
  /** The run whose archive was last written and verified, and where. */
  runId: z.string(),
  file: z.string(),
  at: z.string(),
});
export type BackupRecord = z.infer<typeof backupRecordSchema>;
/** Its key in the profile's deployment records (deploy/context.ts RecordStore). */
export const BACKUP_RECORD = 'backup';
