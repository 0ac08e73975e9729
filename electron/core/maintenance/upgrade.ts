/**
 * Starting an upgrade run (operation `upgrade`) and rolling one back. The new version and installer are saved into the
 * profile before the run, so the run's plan is the deployment's for that version and the next deployment installs the
 * same; what the cluster ran before is kept in the profile's upgrade records, with the archive of the backup the run
 * takes first. A rollback sets the profile back to that version and restores that archive (maintenance/restore.ts):
 * the database as it was before the new core migrated it, and the old version installed on every node.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  rollbackInput,
  upgradeInput,
  type BackupInput,
  type RollbackInput,
  type UpgradeInput,
  type UpgradeRecord,
} from '../../../shared/api/contracts/maintenance';
import { ApiError, errors } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { toFieldIssues } from '../../../shared/validation';
import type { DeployService } from '../deploy/service';
import type { UpgradeRunInput } from '../harbor/upgrade/steps';
import { supportedHop } from '../harbor/upgrade/versions';
import type { ProfileService } from '../profiles/service';
import type { BackupRunInput } from './backup-run';
import { startRestore } from './restore';
import { archiveName } from './retention';

/** Its key in the profile's deployment records: the upgrades the app made, newest first. */
export const UPGRADES_RECORD = 'upgrades';
/** Upgrades remembered per profile. */
const KEPT = 20;

type Installer = Profile['harbor']['installer'];

const recordSchema = z.object({
  runId: z.string(),
  /** `spec`: the profile's installer as it was (a file, a URL or an OSS object), which a rollback puts back. */
  from: z.object({ version: z.string(), installer: z.string(), spec: z.record(z.string(), z.unknown()).optional() }),
  to: z.object({ version: z.string(), installer: z.string() }),
  archive: z.string().optional(),
  skipped: z.string().optional(),
  at: z.string(),
});

export interface UpgradeServices {
  readonly deploy: DeployService;
  readonly profiles: ProfileService;
  /** A backup's run input for the profile as it is now (its profile sealed under the passphrase). */
  readonly sealBackup: (profileId: string, input: BackupInput) => Promise<BackupRunInput>;
}

export function upgradesOf(deploy: DeployService, profileId: string): UpgradeRecord[] {
  const raw = deploy.records.load(profileId)[UPGRADES_RECORD];
  const parsed = z.array(recordSchema).safeParse(raw);
  return parsed.success ? parsed.data : [];
}

const installerPath = (p: Profile) =>
  p.harbor.installer.kind === 'local' ? p.harbor.installer.path : p.harbor.installer.kind === 'url' ? p.harbor.installer.url : '';

function refusal(path: string, message: ReturnType<typeof L>): ApiError {
  return new ApiError({ code: 'invalid_input', message, issues: [{ path, message }] });
}

/** The profile at another version and installer (a local file), saved; answers it. */
async function saveVersion(profiles: ProfileService, profileId: string, version: string, installer: Installer): Promise<Profile> {
  const view = profiles.get(profileId);
  const saved = await profiles.save({ ...view.profile, harbor: { ...view.profile.harbor, version, installer } }, view.revision);
  return saved.profile;
}

export async function startUpgrade(s: UpgradeServices, profileId: string, raw: UpgradeInput): Promise<{ runId: string }> {
  const parsed = upgradeInput.safeParse(raw);
  if (!parsed.success) throw errors.invalidInput('maintenance.upgrade', toFieldIssues(parsed.error));
  const input = parsed.data;
  const before = s.profiles.get(profileId).profile;
  const hop = supportedHop(before.harbor.version, input.version);
  if (hop) throw refusal('version', hop);
  const found = await stat(input.installer).catch(() => null);
  if (!found?.isFile()) throw refusal('installer', L(`There is no installer at ${input.installer}.`, `${input.installer} 处没有安装包。`));
  // The backup seals the profile as it is now: the archive holds the cluster it backs up, at the version it runs.
  const backup: UpgradeRunInput['backup'] =
    'skip' in input.backup
      ? { skipped: input.backup.skip }
      : { ...(await s.sealBackup(profileId, input.backup)), installedVersion: before.harbor.version };
  await saveVersion(s.profiles, profileId, input.version, { kind: 'local', path: input.installer });
  let runId: string;
  try {
    ({ runId } = await s.deploy.start(profileId, {
      operation: 'upgrade',
      input: { kind: 'upgrade', from: before.harbor.version, backup } satisfies UpgradeRunInput,
      // An upgrade stops every node by design: asking for it is the consent.
      confirmDisruption: before.nodes.map((n) => n.id),
    }));
  } catch (error) {
    // Nothing ran: the profile goes back to what the cluster runs.
    await saveVersion(s.profiles, profileId, before.harbor.version, before.harbor.installer).catch(() => undefined);
    throw error;
  }
  const record: UpgradeRecord = {
    runId,
    from: { version: before.harbor.version, installer: installerPath(before), spec: { ...before.harbor.installer } },
    to: { version: input.version, installer: input.installer },
    ...('skipped' in backup ? { skipped: backup.skipped } : { archive: join(backup.folder, archiveName(profileId, runId)) }),
    at: new Date().toISOString(),
  };
  await s.deploy.records.update(profileId, (r) => {
    r[UPGRADES_RECORD] = [record, ...upgradesOf(s.deploy, profileId)].slice(0, KEPT);
  });
  return { runId };
}

export async function resumeUpgrade(s: UpgradeServices, runId: string, backupInput: UpgradeInput['backup']): Promise<{ runId: string }> {
  const { run } = s.deploy.run(runId);
  const record = upgradesOf(s.deploy, run.profileId).find((u) => u.runId === runId);
  if (run.operation !== 'upgrade' || !record)
    throw refusal('runId', L(`Run ${runId} is not an upgrade the app recorded.`, `运行 ${runId} 不是本应用记录的升级。`));
  const backup: UpgradeRunInput['backup'] =
    'skip' in backupInput
      ? { skipped: backupInput.skip }
      : { ...(await s.sealBackup(run.profileId, backupInput)), installedVersion: record.from.version };
  return s.deploy.resume(runId, {
    input: { kind: 'upgrade', from: record.from.version, backup } satisfies UpgradeRunInput,
    confirmDisruption: s.profiles.get(run.profileId).profile.nodes.map((n) => n.id),
  });
}

/**
 * The profile set back to the version and installer the upgrade came from, then a restore run of its backup. Refused
 * when the upgrade skipped its backup (there is nothing of its own to restore) or its archive is gone.
 */
export async function rollbackUpgrade(s: UpgradeServices, runId: string, raw: RollbackInput): Promise<{ runId: string }> {
  const parsed = rollbackInput.safeParse(raw);
  if (!parsed.success) throw errors.invalidInput('maintenance.rollbackUpgrade', toFieldIssues(parsed.error));
  const { run } = s.deploy.run(runId);
  const record = upgradesOf(s.deploy, run.profileId).find((u) => u.runId === runId);
  if (run.operation !== 'upgrade' || !record)
    throw refusal('runId', L(`Run ${runId} is not an upgrade the app recorded.`, `运行 ${runId} 不是本应用记录的升级。`));
  if (!record.archive)
    throw refusal(
      'runId',
      L(
        `This upgrade skipped its backup ("${record.skipped ?? ''}"): there is no archive of its own to roll back to. Set the profile back to Harbor ${record.from.version} and restore an earlier archive (Restore).`,
        `此次升级跳过了备份（“${record.skipped ?? ''}”）：没有可回滚的归档。请将集群配置改回 Harbor ${record.from.version}，再恢复更早的归档（恢复）。`,
      ),
    );
  if (!(await stat(record.archive).catch(() => null))?.isFile())
    throw refusal(
      'runId',
      L(
        `The archive of this upgrade's backup is gone from ${record.archive}: put it back there, or restore another archive.`,
        `此次升级的备份归档已不在 ${record.archive}：请将其放回原处，或恢复其他归档。`,
      ),
    );
  const current = s.profiles.get(run.profileId).profile;
  const installer = (record.from.spec as Installer | undefined) ?? { kind: 'local', path: record.from.installer };
  await saveVersion(s.profiles, run.profileId, record.from.version, installer);
  try {
    return await startRestore(s.deploy, s.profiles, run.profileId, {
      file: record.archive,
      passphrase: parsed.data.passphrase,
      confirmation: parsed.data.confirmation,
    });
  } catch (error) {
    await saveVersion(s.profiles, run.profileId, current.harbor.version, current.harbor.installer).catch(() => undefined);
    throw error;
  }
}
