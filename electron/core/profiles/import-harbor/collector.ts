/**
 * What an import produces and the one place it is gathered: the draft, the secrets (each with the
 * profile path it belongs to) and the notes, which are scrubbed of every secret value on the way out.
 */
import type { ProfileInput } from '../../../../shared/profile/schema';

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type ProfileDraft = DeepPartial<ProfileInput>;

export interface ImportNote {
  en: string;
  'zh-CN': string;
}

export interface ImportedSecret {
  /** Where the value belongs in the profile, e.g. `['redis', 'password']`. */
  path: (string | number)[];
  value: string;
}

export interface HarborConfigImport {
  generation: 'v1' | 'v2';
  draft: ProfileDraft;
  secrets: ImportedSecret[];
  notes: ImportNote[];
}

export class Collector {
  readonly draft: ProfileDraft = {};
  readonly secrets: ImportedSecret[] = [];
  readonly notes: ImportNote[] = [];

  note(en: string, zh: string): void {
    this.notes.push({ en, 'zh-CN': zh });
  }

  secret(path: (string | number)[], value: string, label: string, isSample: boolean): void {
    if (value === '') return;
    if (isSample) {
      this.note(
        `${label} is still the sample password from Harbor's template: change this. It was not imported; enter a strong password of your own.`,
        `${label} 仍是 Harbor 模板中的示例密码：请修改。未导入该值，请自行设置强密码。`,
      );
      return;
    }
    this.secrets.push({ path, value });
  }

  result(generation: 'v1' | 'v2'): HarborConfigImport {
    this.note(
      'Not in this file, so not imported: the nodes (SSH addresses and logins), the load balancer, the installer package and the database admin account. Add them in the profile.',
      '以下内容不在此文件中，因此未导入：节点（SSH 地址和登录方式）、负载均衡、安装包以及数据库管理账号。请在配置中补充。',
    );
    // Defence in depth: a note must never echo a secret value.
    const values = this.secrets.map((s) => s.value).filter((v) => v.length >= 4);
    const scrub = (s: string) => values.reduce((acc, v) => acc.split(v).join('***'), s);
    const notes = this.notes.map((n) => ({ en: scrub(n.en), 'zh-CN': scrub(n['zh-CN']) }));
    return { generation, draft: this.draft, secrets: this.secrets, notes };
  }
}

/** The draft's section `key`, made empty on first use. */
export function sec<K extends keyof ProfileDraft>(draft: ProfileDraft, key: K): NonNullable<ProfileDraft[K]> {
  draft[key] ??= {} as NonNullable<ProfileDraft[K]>;
  return draft[key] as NonNullable<ProfileDraft[K]>;
}
