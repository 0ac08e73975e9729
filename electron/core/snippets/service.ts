/**
 * Snippets of a profile: the built-in Harbor ones rendered from the stored profile, and the operator's own. An own
 * snippet is kept as the operator typed it, but not when it holds one of the secrets the core knows (the redactor's
 * list: the vault's values): that would put a password in a plain file; the command should ask for it instead. The
 * redactor learns the vault's values when it is unlocked, so a save waits for that.
 */
import type { OwnSnippet, SnippetLibrary } from '../../../shared/api/contracts/snippets';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { Redactor } from '../log';
import { builtinSnippets, renderSnippet } from './builtin';
import { SnippetStore, type SnippetInput } from './store';

export interface SnippetServiceOptions {
  readonly dataDir: string;
  /** The stored profile (secrets as `{ set }`); throws not_found for an unknown id. */
  readonly profile: (profileId: string) => Profile;
  readonly redactor: Pick<Redactor, 'redact'>;
  /** Whether the vault is unlocked (the redactor then knows every secret). */
  readonly vaultUnlocked: () => boolean;
}

export class SnippetService {
  readonly #store: SnippetStore;

  constructor(private readonly options: SnippetServiceOptions) {
    this.#store = new SnippetStore(options.dataDir);
  }

  list(profileId: string): SnippetLibrary {
    return { builtIn: builtinSnippets(this.options.profile(profileId)), own: this.#store.list(profileId) };
  }

  render(profileId: string, id: string, parameters: Readonly<Record<string, string>>): { command: string } {
    return { command: renderSnippet(this.options.profile(profileId), id, parameters) };
  }

  save(profileId: string, input: SnippetInput): OwnSnippet {
    this.options.profile(profileId);
    if (!this.options.vaultUnlocked()) {
      throw new ApiError({
        code: 'vault_locked',
        message: L(
          'Unlock the vault first: a snippet is checked against the passwords and keys it keeps before it is saved.',
          '请先解锁密钥库：保存代码片段之前，需要用其中的密码和密钥对它进行检查。',
        ),
      });
    }
    for (const field of ['name', 'description', 'command'] as const) {
      if (this.options.redactor.redact(input[field]) !== input[field]) {
        throw new ApiError({
          code: 'invalid_input',
          reason: 'snippet_secret',
          message: L(
            'This holds a password or key the app keeps in its vault; a snippet is a plain file. Let the command ask for it on the node (e.g. psql, redis-cli --askpass, mysql -p).',
            '这里包含应用保存在保险库中的密码或密钥，而代码片段是明文文件。请让命令在节点上询问它（例如 psql、redis-cli --askpass、mysql -p）。',
          ),
          issues: [{ path: field, message: L('holds a secret of the app', '包含应用的机密') }],
        });
      }
    }
    return this.#store.save(profileId, input);
  }

  delete(profileId: string, id: string): null {
    this.#store.delete(profileId, id);
    return null;
  }
}
