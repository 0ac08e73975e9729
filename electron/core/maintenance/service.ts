/**
 * Day-two maintenance as the API and the CLI see it. A backup is a run of the deployment engine (operation `backup`,
 * its steps the Harbor adapter's), so it has the walkthrough's journal, live log, progress, cancel and resume; this
 * service adds what the engine does not know: the operator's input with the profile sealed under the backup's
 * passphrase, the folder and retention remembered per profile, and the archives in that folder.
 */
import { stat } from 'node:fs/promises';
import {
  backupInput,
  type ArchiveEntry,
  type ArchiveReport,
  type BackupInput,
  type BackupSettings,
} from '../../../shared/api/contracts/maintenance';
import { ApiError, errors } from '../../../shared/errors';
import { toFieldIssues } from '../../../shared/validation';
import { L } from '../../../shared/i18n/localized';
import type { DeployService } from '../deploy/service';
import type { ProfileService } from '../profiles/service';
import { verifyArchive } from './archive';
import { BACKUP_RECORD, backupRecordSchema, type BackupRunInput } from './backup-run';
import { listArchives } from './retention';

/** Archives kept when the operator has not said. */
const DEFAULT_KEEP = 7;

export interface MaintenanceServiceOptions {
  readonly deploy: DeployService;
  readonly profiles: ProfileService;
  readonly appVersion: string;
}

export class MaintenanceService {
  constructor(private readonly o: MaintenanceServiceOptions) {}

  /** The input checked here too: the CLI calls the service without the API's schema. */
  async #runInput(profileId: string, raw: BackupInput): Promise<BackupRunInput> {
    const parsed = backupInput.safeParse(raw);
    if (!parsed.success) throw errors.invalidInput('maintenance.backup', toFieldIssues(parsed.error));
    const input = parsed.data;
    // The profile goes into the archive sealed under the same passphrase: one secret opens the whole backup.
    const sealed = await this.o.profiles.exportProfile(profileId, { mode: 'sealed', passphrase: input.passphrase });
    return { ...input, sealedProfile: { fileName: sealed.fileName, content: sealed.content }, appVersion: this.o.appVersion };
  }

  async backup(profileId: string, input: BackupInput): Promise<{ runId: string }> {
    this.o.profiles.get(profileId);
    return this.o.deploy.start(profileId, { operation: 'backup', input: await this.#runInput(profileId, input) });
  }

  async resumeBackup(runId: string, input: BackupInput): Promise<{ runId: string }> {
    const { run } = this.o.deploy.run(runId);
    if (run.operation !== 'backup')
      throw new ApiError({
        code: 'invalid_input',
        message: L(`Run ${runId} is not a backup: resume it from the walkthrough.`, `运行 ${runId} 不是备份：请在部署向导中继续它。`),
        issues: [{ path: 'runId', message: L('not a backup run', '不是备份运行') }],
      });
    return this.o.deploy.resume(runId, { input: await this.#runInput(run.profileId, input) });
  }

  settings(profileId: string): BackupSettings {
    this.o.profiles.get(profileId);
    const r = backupRecordSchema.safeParse(this.o.deploy.records.load(profileId)[BACKUP_RECORD]);
    return r.success ? { folder: r.data.folder, keep: r.data.keep } : { folder: null, keep: DEFAULT_KEEP };
  }

  async archives(profileId: string, folder: string): Promise<ArchiveEntry[]> {
    this.o.profiles.get(profileId);
    try {
      return await listArchives(folder, profileId);
    } catch (error) {
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          `The folder ${folder} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): choose another.`,
          `无法读取文件夹 ${folder}（${(error as NodeJS.ErrnoException).code ?? 'error'}）：请选择其他文件夹。`,
        ),
        issues: [{ path: 'folder', message: L('cannot be read', '无法读取') }],
      });
    }
  }

  async verify(file: string, passphrase: string): Promise<ArchiveReport> {
    const found = await stat(file).catch(() => null);
    if (!found?.isFile())
      throw new ApiError({
        code: 'invalid_input',
        message: L(`There is no archive at ${file}.`, `${file} 处没有归档。`),
        issues: [{ path: 'file', message: L('no such file', '文件不存在') }],
      });
    const { manifest, bytes } = await verifyArchive(file, passphrase);
    return {
      file,
      createdAt: manifest.createdAt,
      profileName: manifest.profile.name,
      harborVersion: manifest.harbor.version,
      generation: manifest.harbor.generation,
      database: { engine: manifest.database.engine, name: manifest.database.name, format: manifest.database.format },
      storage: manifest.storage,
      parts: manifest.parts.map((p) => ({ name: p.name, kind: p.kind, size: p.size, sha256: p.sha256 })),
      bytes,
    };
  }
}
