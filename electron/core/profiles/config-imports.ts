/**
 * Drafts and hosts from files the operator already has: harbor.cfg or harbor.yml (its passwords are
 * staged, never returned) and the OpenSSH client config.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProfileDraft, SshConfigImport } from '../../../shared/api/types';
import { ApiError } from '../../../shared/errors';
import { YamlLimitError } from '../yaml-input';
import { L } from './errors';
import { draftFromHarborConfig } from './import-harbor-config';
import { parseSshConfig } from './import-ssh-config';
import { readIncludeFiles } from './ssh-include-files';
import type { SecretStaging } from './staging';
import { newProfileId } from './template';

/** Stages secrets read from a file into a draft (for the Harbor config importer). */
function stageSecrets(
  staging: SecretStaging,
  draft: Record<string, unknown>,
  secrets: readonly { path: readonly (string | number)[]; value: string }[],
): void {
  for (const { path, value } of secrets) {
    let o: Record<string | number, unknown> = draft;
    for (const k of path.slice(0, -1)) {
      o[k] ??= {};
      o = o[k] as Record<string | number, unknown>;
    }
    o[path.at(-1)!] = staging.stage(value);
  }
}

/** A draft from the operator's existing harbor.cfg or harbor.yml; its passwords are staged, not returned. */
export function importHarborConfig(staging: SecretStaging, fileName: string, content: string): ProfileDraft {
  let result: ReturnType<typeof draftFromHarborConfig>;
  try {
    result = draftFromHarborConfig(fileName, content);
  } catch (error) {
    if (error instanceof YamlLimitError) throw new ApiError({ code: 'invalid_input', message: error.describe(fileName) });
    throw new ApiError({
      code: 'invalid_input',
      message: L(
        `${fileName} cannot be read as harbor.cfg or harbor.yml: ${(error as Error).message}`,
        `无法将 ${fileName} 读取为 harbor.cfg 或 harbor.yml：${(error as Error).message}`,
      ),
    });
  }
  const draft = structuredClone(result.draft) as Record<string, unknown>;
  draft.id = newProfileId(typeof draft.name === 'string' ? draft.name : 'cluster');
  stageSecrets(staging, draft, result.secrets);
  return { draft, notes: result.notes };
}

/** Hosts from an OpenSSH client config: the given text, or the core machine's ~/.ssh/config. */
export function importSshConfig(content: string | undefined, home = homedir()): SshConfigImport {
  const sshDir = join(home, '.ssh');
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const text = content ?? read(join(sshDir, 'config'));
  if (text === undefined) {
    throw new ApiError({
      code: 'not_found',
      message: L(
        `There is no ${join(sshDir, 'config')} on the machine running the app; paste the file's text instead.`,
        `运行本应用的机器上没有 ${join(sshDir, 'config')}；请改为粘贴该文件的内容。`,
      ),
    });
  }
  return parseSshConfig(text, { home, readInclude: readIncludeFiles });
}
