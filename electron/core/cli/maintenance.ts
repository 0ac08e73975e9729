/**
 * harbor-ha's maintenance commands: backup, restore, upgrade, rollback and rotate-cert. Each starts (or resumes) a run of
 * core.maintenance and follows it like a deployment; the backup's passphrase comes from the environment, never the
 * command line.
 */
import { resolve } from 'node:path';
import { L } from '../../../shared/i18n/localized';
import type { Core } from '../core';
import { readCertificateFile, readPrivateKeyFile } from '../files/local';
import type { Redactor } from '../log';
import type { CliArgs } from './command-line';
import { follow, say } from './follow';

const TEXT = {
  noBackupPassphrase: L(
    'set HARBOR_HA_BACKUP_PASSPHRASE: the archive is encrypted with it, and it opens the archive again (age -d)',
    '请设置 HARBOR_HA_BACKUP_PASSPHRASE：归档用它加密，之后也用它打开（age -d）',
  ),
} as const;

const MAINTENANCE_COMMANDS = ['backup', 'restore', 'upgrade', 'rollback', 'rotate-cert'] as const satisfies readonly CliArgs['command'][];
export type MaintenanceCommand = (typeof MAINTENANCE_COMMANDS)[number];

export const isMaintenanceCommand = (command: CliArgs['command']): command is MaintenanceCommand =>
  (MAINTENANCE_COMMANDS as readonly string[]).includes(command);

/** Runs a maintenance command; the exit status as harbor-ha returns it (2: no backup passphrase in the environment). */
export async function runMaintenance(
  command: MaintenanceCommand,
  core: Core,
  profileId: string | undefined,
  args: CliArgs,
  redactor: Redactor,
): Promise<number> {
  if (command === 'rotate-cert') return await rotateCert(core, profileId, args, redactor);
  if (command === 'upgrade' && args.skipBackup) return await upgrade(core, profileId, args, undefined);
  const backupPassphrase = process.env.HARBOR_HA_BACKUP_PASSPHRASE;
  if (!backupPassphrase) {
    process.stderr.write(`harbor-ha: ${say(args, TEXT.noBackupPassphrase)}\n`);
    return 2;
  }
  redactor.add(backupPassphrase);
  if (command === 'upgrade') return await upgrade(core, profileId, args, backupPassphrase);
  if (command === 'rollback') return await rollback(core, args, backupPassphrase);
  return command === 'backup'
    ? await backup(core, profileId, args, backupPassphrase)
    : await restore(core, profileId, args, backupPassphrase);
}

/** How many archives of the profile stay in the folder: --keep, else the profile's setting (of the resumed run's profile). */
const keepOf = (core: Core, profileId: string | undefined, args: CliArgs): number =>
  args.keep ?? core.maintenance.settings(profileId ?? core.deploy.run(args.resume!).run.profileId).keep;

/** A backup run into --to, the passphrase from the environment; followed like a deployment. */
async function backup(core: Core, profileId: string | undefined, args: CliArgs, passphrase: string): Promise<number> {
  const folder = resolve(args.to!);
  const input = {
    folder,
    keep: keepOf(core, profileId, args),
    passphrase,
  };
  const { runId } = args.resume
    ? await core.maintenance.resumeBackup(args.resume, input)
    : await core.maintenance.backup(profileId!, input);
  return follow(core, runId, args);
}

/** A restore run of --from, the passphrase from the environment; followed like a deployment. */
async function restore(core: Core, profileId: string | undefined, args: CliArgs, passphrase: string): Promise<number> {
  const input = { file: resolve(args.from!), passphrase, ...(args.confirmRestore ? { confirmation: args.confirmRestore } : {}) };
  const { runId } = args.resume
    ? await core.maintenance.resumeRestore(args.resume, input)
    : await core.maintenance.restore(profileId!, input);
  return follow(core, runId, args);
}

/**
 * A certificate rotation: the certificate and key of --cert and --key (read here, the key masked in every output), or
 * the profile's own when the profile file already holds the new ones; --resume continues a rotation (its input is in
 * the profile). Followed like a deployment.
 */
async function rotateCert(core: Core, profileId: string | undefined, args: CliArgs, redactor: Redactor): Promise<number> {
  if (args.resume) return follow(core, (await core.deploy.resume(args.resume, {})).runId, args);
  const key = args.key ? readPrivateKeyFile(resolve(args.key)) : undefined;
  if (key) redactor.add(key);
  const { runId } = await core.maintenance.rotateCert(profileId!, {
    ...(args.cert ? { certificate: readCertificateFile(resolve(args.cert)) } : {}),
    ...(key ? { privateKey: { value: key } } : {}),
  });
  return follow(core, runId, args);
}

/** An upgrade run (or its resume), the backup's passphrase from the environment when it backs up; followed. */
async function upgrade(core: Core, profileId: string | undefined, args: CliArgs, passphrase: string | undefined): Promise<number> {
  const backup = args.skipBackup
    ? { skip: args.skipBackup }
    : {
        folder: resolve(args.to!),
        keep: keepOf(core, profileId, args),
        passphrase: passphrase ?? '',
      };
  const { runId } = args.resume
    ? await core.maintenance.resumeUpgrade(args.resume, backup)
    : await core.maintenance.upgrade(profileId!, { version: args.harborVersion!, installer: resolve(args.installer!), backup });
  return follow(core, runId, args);
}

/** The rollback of the failed upgrade run --resume: its backup restored with the passphrase from the environment; followed. */
async function rollback(core: Core, args: CliArgs, passphrase: string): Promise<number> {
  const { runId } = await core.maintenance.rollbackUpgrade(args.resume!, { passphrase, confirmation: args.confirmRestore! });
  return await follow(core, runId, args);
}
