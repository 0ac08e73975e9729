/**
 * Starting a restore run (operation `restore`): the operator's input checked, and the consent a restore needs. A
 * restore stops Harbor on every node and replaces the database, so the one consent it asks is the database host typed
 * again; typed, it stands for every serving node the engine would otherwise ask about one by one.
 */
import { stat } from 'node:fs/promises';
import { restoreInput, type RestoreInput } from '../../../shared/api/contracts/maintenance';
import { ApiError, errors } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { toFieldIssues } from '../../../shared/validation';
import type { StartRequest } from '../deploy/request';
import type { DeployService } from '../deploy/service';
import type { ProfileService } from '../profiles/service';
import type { RestoreRunInput } from '../harbor/restore/source';

/** The run's request: the input checked (the CLI calls without the API's schema), consent for every node when typed. */
export async function restoreRequest(profiles: ProfileService, profileId: string, raw: RestoreInput): Promise<StartRequest> {
  const parsed = restoreInput.safeParse(raw);
  if (!parsed.success) throw errors.invalidInput('maintenance.restore', toFieldIssues(parsed.error));
  const input = parsed.data;
  const found = await stat(input.file).catch(() => null);
  if (!found?.isFile())
    throw new ApiError({
      code: 'invalid_input',
      message: L(`There is no archive at ${input.file}.`, `${input.file} 处没有归档。`),
      issues: [{ path: 'file', message: L('no such file', '文件不存在') }],
    });
  const p = profiles.get(profileId).profile;
  const consented = input.confirmation === p.database.host;
  return {
    operation: 'restore',
    input: { ...input, kind: 'restore' } satisfies RestoreRunInput,
    ...(consented ? { confirmDisruption: p.nodes.map((n) => n.id) } : {}),
  };
}

/** The engine's refusal to stop serving nodes, in a restore's words: the database host is the consent. */
export async function withRestoreConsent<T>(profiles: ProfileService, profileId: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (!(error instanceof ApiError) || error.reason !== 'disruption') throw error;
    const host = profiles.get(profileId).profile.database.host;
    throw new ApiError({
      code: 'confirmation_required',
      reason: 'restore',
      message: L(
        `Nodes of this cluster serve now: the restore stops Harbor on every node and replaces the database on ${host} with the archive's. To confirm, type the database host ${host}.`,
        `该集群的节点正在提供服务：恢复会停止每个节点上的 Harbor，并用归档中的数据替换 ${host} 上的数据库。如确认，请输入数据库地址 ${host}。`,
      ),
      field: 'confirmation',
    });
  }
}

export async function startRestore(
  deploy: DeployService,
  profiles: ProfileService,
  profileId: string,
  input: RestoreInput,
): Promise<{ runId: string }> {
  const request = await restoreRequest(profiles, profileId, input);
  return withRestoreConsent(profiles, profileId, () => deploy.start(profileId, request));
}

export async function resumeRestore(
  deploy: DeployService,
  profiles: ProfileService,
  runId: string,
  input: RestoreInput,
): Promise<{ runId: string }> {
  const { run } = deploy.run(runId);
  if (run.operation !== 'restore')
    throw new ApiError({
      code: 'invalid_input',
      message: L(`Run ${runId} is not a restore.`, `运行 ${runId} 不是恢复。`),
      issues: [{ path: 'runId', message: L('not a restore run', '不是恢复运行') }],
    });
  const request = await restoreRequest(profiles, run.profileId, input);
  return withRestoreConsent(profiles, run.profileId, () => deploy.resume(runId, request));
}
