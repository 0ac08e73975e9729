import { fill, type Localized } from './i18n/localized';

/**
 * Why a call failed. The renderer and the CLI show `message` in the operator's language;
 * `code` is for programs.
 */
export type ApiErrorCode =
  | 'invalid_input'
  | 'unknown_call'
  | 'untrusted_sender'
  | 'unauthorized'
  | 'transport'
  | 'not_found'
  | 'conflict'
  /** The vault is locked or not set up: the UI asks for the passphrase and retries. */
  | 'vault_locked'
  | 'vault'
  | 'storage'
  | 'confirmation_required'
  /** An SSH connection or command failed; `reason` says why and `node` where. */
  | 'ssh'
  /** A deployment step found a problem or a command failed; `node` says where, `reason` which check. */
  | 'deploy'
  /** Aliyun's OpenAPI refused or failed a call; `reason` is Aliyun's error code, `field` the profile setting to fix. */
  | 'cloud'
  | 'internal';

/** One problem with one field of an input, e.g. `nodes.2.host`. */
export interface FieldIssue {
  readonly path: string;
  readonly message: Localized;
}

/** The issue path of a profile changed elsewhere since the form opened it: no field's problem, a reload's. */
export const STALE_REVISION = 'revision';

/** The serialisable form of an error as it crosses a transport. */
export interface ApiErrorData {
  readonly code: ApiErrorCode;
  readonly message: Localized;
  /** Field problems when `code` is `invalid_input`. */
  readonly issues?: readonly FieldIssue[];
  /** The node the error concerns, when there is one. */
  readonly node?: string;
  /** A finer reason within `code`, e.g. the vault's own error code. */
  readonly reason?: string;
  /**
   * The profile field whose value caused the failure, as a path like `database.port`, when the cause is a
   * setting (a refused connection, a wrong password, a missing bucket): the UI offers to edit that field.
   */
  readonly field?: string;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly localized: Localized;
  readonly issues: readonly FieldIssue[] | undefined;
  readonly node: string | undefined;
  readonly reason: string | undefined;
  readonly field: string | undefined;

  constructor(data: ApiErrorData) {
    super(data.message.en);
    this.name = 'ApiError';
    this.code = data.code;
    this.localized = data.message;
    this.issues = data.issues;
    this.node = data.node;
    this.reason = data.reason;
    this.field = data.field;
  }

  toData(): ApiErrorData {
    return {
      code: this.code,
      message: this.localized,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.node ? { node: this.node } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.field ? { field: this.field } : {}),
    };
  }

  static from(data: ApiErrorData): ApiError {
    return new ApiError(data);
  }
}

const TEXT = {
  unknownCall: {
    en: 'Unknown API call "{name}". The app and its window are from different versions: restart the app.',
    'zh-CN': '未知的 API 调用“{name}”。应用与窗口的版本不一致：请重启应用。',
  },
  untrustedSender: {
    en: "Refused a request from an untrusted page ({origin}). Only the app's own window may call the app.",
    'zh-CN': '已拒绝来自不受信任页面（{origin}）的请求。只有应用自己的窗口可以调用应用。',
  },
  internal: {
    en: 'Something went wrong inside the app (reference {ref}). Details are in the app log; nothing secret is shown here.',
    'zh-CN': '应用内部出错（编号 {ref}）。详情见应用日志；此处不显示任何机密信息。',
  },
  invalidInput: {
    en: 'The request to "{name}" has invalid input: {summary}',
    'zh-CN': '对“{name}”的请求输入无效：{summary}',
  },
} as const satisfies Record<string, Localized>;

export const errors = {
  unknownCall: (name: string) => new ApiError({ code: 'unknown_call', message: fill(TEXT.unknownCall, { name }) }),
  untrustedSender: (origin: string) => new ApiError({ code: 'untrusted_sender', message: fill(TEXT.untrustedSender, { origin }) }),
  internal: (ref: string) => new ApiError({ code: 'internal', message: fill(TEXT.internal, { ref }) }),
  invalidInput: (name: string, issues: readonly FieldIssue[]) => {
    const summary = (lang: 'en' | 'zh-CN') => issues.map((i) => `${i.path || '(input)'}: ${i.message[lang]}`).join('; ');
    const base = fill(TEXT.invalidInput, { name });
    return new ApiError({
      code: 'invalid_input',
      message: { en: base.en.replace('{summary}', summary('en')), 'zh-CN': base['zh-CN'].replace('{summary}', summary('zh-CN')) },
      issues,
    });
  },
};
