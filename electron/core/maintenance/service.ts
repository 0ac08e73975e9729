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
  type RestoreInput,
  type RollbackInput,
  type UpgradeInput,
  type UpgradeRecord,
} from '../../../shared/api/contracts/maintenance';
import { ApiError, errors, type FieldIssue } from '../../../shared/errors';
import { toFieldIssues } from '../../../shared/validation';
import { L } from '../../../shared/i18n/localized';
import type { DeployService } from '../deploy/service';
import type { ProfileService } from '../profiles/service';
import type { SecretStaging } from '../profiles/staging';
import { verifyArchive } from './archive';
import { BACKUP_RECORD, backupRecordSchema, type BackupRunInput } from './backup-run';
import { resumeRestore, startRestore } from './restore';
import { resumeUpgrade, rollbackUpgrade, startUpgrade, upgradesOf, type UpgradeServices } from './upgrade';
import { listArchives } from './retention';
import { rotationIssues } from './rotate-cert';

/** Archives kept when the operator has not said. */
const DEFAULT_KEEP = 7;

export interface MaintenanceServiceOptions {
  readonly deploy: DeployService;
  readonly profiles: ProfileService;
  readonly appVersion: string;
  /** Where a key read from a file or generated waits for the rotation that uses it (the UI holds only its token). */
  readonly staging: SecretStaging;
}

/**
 * A rotation's new certificate as the service takes it: the API's (a staged key), or the CLI's (a key read from a
 * file); without a certificate, the profile's own is pushed again (the CLI's profile file already holds the new one).
 */
export interface RotationRequest {
  readonly certificate?: string;
  readonly privateKey?: { readonly staged: string } | { readonly value: string };
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

  /**
   * Checks the new certificate, saves it into the profile (the vault holds the key), then starts the rotation run: what
   * the operator gave is kept even if the run stops half-way, and the next deployment renders the same certificate.
   */
  async rotateCert(profileId: string, request: RotationRequest): Promise<{ runId: string }> {
    const view = this.o.profiles.get(profileId);
    const p = view.profile;
    const fail = (path: 'certificate' | 'privateKey', message: FieldIssue['message']) =>
      errors.invalidInput('maintenance.rotateCert', [{ path, message }]);
    if (p.access.protocol !== 'https')
      throw fail(
        'certificate',
        L(
          `${p.name} serves plain http: there is no certificate to rotate. Switch the profile to https first (Access), then deploy.`,
          `${p.name} 使用 http 提供服务：没有可轮换的证书。请先在配置中改为 https（访问），再部署。`,
        ),
      );
    const onNodes = p.access.tlsTermination === 'nodes';
    const certificate = (request.certificate ?? p.access.certificate)?.trim();
    if (!certificate) throw fail('certificate', L('paste or choose the new certificate', '请粘贴或选择新证书'));
    if (!onNodes && request.privateKey)
      throw fail(
        'privateKey',
        L(
          'TLS ends at the load balancer: its key stays there, and the app only pins the certificate. Leave the key out.',
          'TLS 在负载均衡终止：私钥保留在负载均衡上，应用只固定证书。请不要提供私钥。',
        ),
      );
    let key: string | undefined;
    if (request.privateKey && 'staged' in request.privateKey) {
      key = this.o.staging.peek(request.privateKey.staged);
      if (key === undefined)
        throw fail(
          'privateKey',
          L(
            'the key chosen earlier is no longer held (an hour passed, or the app restarted): choose the key file again',
            '之前选择的私钥已不再保留（已超过一小时或应用已重启）：请重新选择私钥文件',
          ),
        );
    } else if (request.privateKey) key = request.privateKey.value;
    else if (onNodes && request.certificate)
      throw fail('privateKey', L("a new certificate needs its key: choose the key's file", '新证书需要对应的私钥：请选择私钥文件'));
    // Without a new key the stored one is kept; profiles.save checks that it belongs to the certificate.
    const issues = rotationIssues(certificate, key, p.access.domain);
    if (issues.length) throw errors.invalidInput('maintenance.rotateCert', issues);
    const privateKey = onNodes ? (request.privateKey ?? { set: true }) : { set: false };
    await this.o.profiles.save({ ...p, access: { ...p.access, certificate, privateKey } }, view.revision);
    return this.o.deploy.start(profileId, { operation: 'rotate-cert' });
  }

  /** An upgrade of the profile's cluster to a newer 2.x (maintenance/upgrade.ts). */
  upgrade(profileId: string, input: UpgradeInput): Promise<{ runId: string }> {
    return startUpgrade(this.#upgrades(), profileId, input);
  }

  resumeUpgrade(runId: string, backup: UpgradeInput['backup']): Promise<{ runId: string }> {
    return resumeUpgrade(this.#upgrades(), runId, backup);
  }

  upgrades(profileId: string): UpgradeRecord[] {
    this.o.profiles.get(profileId);
    return upgradesOf(this.o.deploy, profileId);
  }

  rollbackUpgrade(runId: string, input: RollbackInput): Promise<{ runId: string }> {
    return rollbackUpgrade(this.#upgrades(), runId, input);
  }

  #upgrades(): UpgradeServices {
    return { deploy: this.o.deploy, profiles: this.o.profiles, sealBackup: (id, input) => this.#runInput(id, input) };
  }

  /** A restore of an archive into the profile's cluster (maintenance/restore.ts). */
  restore(profileId: string, input: RestoreInput): Promise<{ runId: string }> {
    return startRestore(this.o.deploy, this.o.profiles, profileId, input);
  }

  resumeRestore(runId: string, input: RestoreInput): Promise<{ runId: string }> {
    return resumeRestore(this.o.deploy, this.o.profiles, runId, input);
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
