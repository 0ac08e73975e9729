/**
 * The operator's own snippets, per profile, in `<dataDir>/snippets.json` beside profiles.json. Written whole to a
 * temporary file and renamed over the old one, so a process killed mid-write leaves the previous file; read through
 * zod, so a file edited by hand into something else is refused instead of reaching the page.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { MAX_SNIPPET_COMMAND, type OwnSnippet } from '../../../shared/api/contracts/snippets';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';

/** Per profile: enough for a team's runbook, and the file stays small enough to read whole on every call. */
export const MAX_OWN_SNIPPETS = 200;

const ownSnippet = z
  .object({
    id: z.string().min(1).max(64),
    name: z.string().max(80),
    description: z.string().max(500),
    command: z.string().max(MAX_SNIPPET_COMMAND),
    updatedAt: z.string().max(40),
  })
  .strict();
const storeFile = z.object({ version: z.literal(1), profiles: z.record(z.string(), z.array(ownSnippet)) }).strict();
type StoreFile = z.infer<typeof storeFile>;

export interface SnippetInput {
  readonly id?: string;
  readonly name: string;
  readonly description: string;
  readonly command: string;
}

const notFound = () =>
  new ApiError({
    code: 'not_found',
    reason: 'snippet',
    message: L('This snippet no longer exists.', '该代码片段已不存在。'),
  });

export class SnippetStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'snippets.json');
  }

  #read(): StoreFile {
    if (!existsSync(this.path)) return { version: 1, profiles: {} };
    const parsed = (() => {
      try {
        return storeFile.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      } catch {
        return null;
      }
    })();
    if (!parsed?.success) {
      throw new ApiError({
        code: 'storage',
        reason: 'snippets_unreadable',
        message: L(
          `${this.path} is not a snippets file this app wrote; move it aside to start with no own snippets.`,
          `${this.path} 不是本应用写入的代码片段文件；把它移走即可从空的自定义片段开始。`,
        ),
      });
    }
    return parsed.data;
  }

  #write(data: StoreFile): void {
    const tmp = `${this.path}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.path);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  }

  list(profileId: string): OwnSnippet[] {
    return this.#read().profiles[profileId] ?? [];
  }

  save(profileId: string, input: SnippetInput): OwnSnippet {
    const data = this.#read();
    const own = data.profiles[profileId] ?? [];
    const snippet: OwnSnippet = {
      id: input.id ?? `own-${randomBytes(6).toString('hex')}`,
      name: input.name,
      description: input.description,
      command: input.command,
      updatedAt: new Date().toISOString(),
    };
    const at = input.id === undefined ? -1 : own.findIndex((s) => s.id === input.id);
    if (input.id !== undefined && at < 0) throw notFound();
    if (at < 0 && own.length >= MAX_OWN_SNIPPETS) {
      throw new ApiError({
        code: 'conflict',
        reason: 'too_many_snippets',
        message: L(
          `A cluster keeps at most ${MAX_OWN_SNIPPETS} own snippets; delete some first.`,
          `每个集群最多保存 ${MAX_OWN_SNIPPETS} 个自定义片段；请先删除一些。`,
        ),
      });
    }
    data.profiles[profileId] = at < 0 ? [...own, snippet] : own.map((s, i) => (i === at ? snippet : s));
    this.#write(data);
    return snippet;
  }

  delete(profileId: string, id: string): void {
    const data = this.#read();
    const own = data.profiles[profileId] ?? [];
    if (!own.some((s) => s.id === id)) throw notFound();
    data.profiles[profileId] = own.filter((s) => s.id !== id);
    this.#write(data);
  }
}
