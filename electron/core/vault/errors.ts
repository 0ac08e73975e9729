/**
 * Errors of the secrets vault. Every one carries a message in zh-CN and en that says what happened
 * and what the operator can do. Messages never contain a secret value: only the vault file's path,
 * entry keys (which are not secret) and the keyring backend's name.
 */
import { fill, type Localized } from '../../../shared/i18n/localized';

export type VaultErrorCode =
  | 'wrong_passphrase'
  | 'locked'
  | 'uninitialized'
  | 'already_initialized'
  | 'corrupt'
  | 'weak_passphrase'
  /** The vault's data key is wrapped by safeStorage, and safeStorage is not usable now. */
  | 'safe_storage_unavailable'
  /** A passphrase operation on a safeStorage vault, or the reverse. */
  | 'wrong_method'
  /** scrypt parameters above the app's own: refused before deriving (a crafted file could cost gigabytes). */
  | 'kdf_too_costly';

/** Minimum passphrase length, in Unicode code points. */
export const MIN_PASSPHRASE_LENGTH = 8;

const TEXT: Record<VaultErrorCode, Localized> = {
  wrong_passphrase: {
    en:
      'The passphrase is wrong. Nothing was changed. Try again (check the keyboard layout and Caps Lock); ' +
      'if it is lost, the saved secrets cannot be recovered: delete {file} to start over ' +
      '(profiles are kept, secrets must be entered again).',
    'zh-CN':
      '主密码错误，未做任何更改。请重试（检查键盘布局和大写锁定）；如果主密码已遗失，已保存的密钥无法恢复：' +
      '删除 {file} 即可重新开始（集群配置会保留，密钥需要重新输入）。',
  },
  locked: {
    en: 'The secrets vault is locked. Enter the master passphrase to unlock it, then try again.',
    'zh-CN': '密钥保险库已锁定。请输入主密码解锁后重试。',
  },
  uninitialized: {
    en: 'The secrets vault has not been set up yet. Set it up first (choose a master passphrase if asked), then try again.',
    'zh-CN': '密钥保险库尚未初始化。请先完成初始化（如有提示，请设置主密码），然后重试。',
  },
  already_initialized: {
    en:
      'The secrets vault is already set up ({file}). Unlock it with its passphrase; ' +
      'to start over, delete that file (profiles are kept, secrets must be entered again).',
    'zh-CN': '密钥保险库已经初始化（{file}）。请用主密码解锁；如需重新开始，请删除该文件（集群配置会保留，密钥需要重新输入）。',
  },
  corrupt: {
    en:
      'The secrets vault {file} is damaged or was not written by this app ({detail}). Nothing was changed. ' +
      'Restore the file from a backup, or move it away to start over (profiles are kept, secrets must be entered again).',
    'zh-CN':
      '密钥保险库文件 {file} 已损坏或不是本应用写入的（{detail}），未做任何更改。' +
      '请从备份恢复该文件，或将其移走以重新开始（集群配置会保留，密钥需要重新输入）。',
  },
  weak_passphrase: {
    en: 'The passphrase is too short: use at least {min} characters. A few unrelated words make a good passphrase. Nothing was changed.',
    'zh-CN': '主密码太短：至少需要 {min} 个字符。几个不相关的词语组合就是不错的主密码。未做任何更改。',
  },
  safe_storage_unavailable: {
    en:
      'The secrets vault {file} is protected by the system keyring, but the keyring cannot be used now ({detail}). ' +
      'Nothing was changed. Start the desktop app in a session where the keyring is available ' +
      '(on Linux: GNOME Keyring or KWallet unlocked, not the "basic_text" backend), then, if you need to, ' +
      'switch the vault to a master passphrase in the settings. If that is not possible, delete {file} to start over ' +
      '(profiles are kept, secrets must be entered again).',
    'zh-CN':
      '密钥保险库 {file} 由系统钥匙串保护，但当前无法使用钥匙串（{detail}），未做任何更改。' +
      '请在可以使用钥匙串的会话中启动桌面应用（Linux 上需要已解锁的 GNOME Keyring 或 KWallet，而不是 "basic_text" 后端），' +
      '如有需要，可在设置中将保险库改为使用主密码。如果无法做到，请删除 {file} 重新开始（集群配置会保留，密钥需要重新输入）。',
  },
  wrong_method: {
    en: 'This vault is protected by {method}, so this operation does not apply to it. Nothing was changed.',
    'zh-CN': '此保险库由{method}保护，因此该操作不适用，未做任何更改。',
  },
  kdf_too_costly: {
    en: 'The secrets vault {file} asks for a key derivation costlier than this app uses ({detail}; at most {limit}). Nothing was changed.',
    'zh-CN': '密钥保险库 {file} 要求的密钥派生开销高于本应用使用的上限（{detail}；上限 {limit}），未做任何更改。',
  },
};

/** For sealed boxes (exported files), whose passphrase is not the vault's. */
const EXPORT_TEXT: Partial<Record<VaultErrorCode, Localized>> = {
  wrong_passphrase: {
    en:
      'The passphrase for this exported file is wrong. Nothing was imported. Ask whoever exported it for the ' +
      'passphrase they chose when exporting (it is not your vault passphrase), or import a copy exported without secrets.',
    'zh-CN': '此导出文件的密码错误，未导入任何内容。请向导出者索取导出时设置的密码（不是您的保险库主密码），或导入不含密钥的导出文件。',
  },
  corrupt: {
    en: 'The encrypted part of this exported file is damaged or was not written by this app ({detail}). Nothing was imported. Export it again.',
    'zh-CN': '此导出文件的加密部分已损坏或不是本应用写入的（{detail}），未导入任何内容。请重新导出。',
  },
  kdf_too_costly: {
    en:
      'This exported file asks for a key derivation costlier than this app ever uses ({detail}; this app uses at most {limit}), ' +
      'which could take gigabytes of memory. It was not made by this app, or was altered, so it was not opened. ' +
      'Nothing was imported. Ask for a new export made with this app.',
    'zh-CN':
      '此导出文件要求的密钥派生开销高于本应用使用的上限（{detail}；本应用最多使用 {limit}），可能占用数 GB 内存。' +
      '它不是本应用生成的或已被篡改，因此未打开，未导入任何内容。请索取用本应用重新导出的文件。',
  },
};

export interface VaultErrorParams {
  /** The error concerns a sealed box (an exported file), not the vault. */
  readonly sealed?: boolean;
  readonly file?: string;
  readonly detail?: string;
  readonly method?: 'safeStorage' | 'passphrase';
  /** For 'kdf_too_costly': the app's own scrypt parameters. */
  readonly limit?: string;
}

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  readonly localized: Localized;

  constructor(code: VaultErrorCode, params: VaultErrorParams = {}) {
    const localized = fill((params.sealed ? EXPORT_TEXT[code] : undefined) ?? TEXT[code], {
      file: params.file ?? '(vault file)',
      detail: params.detail ?? '-',
      min: MIN_PASSPHRASE_LENGTH,
      limit: params.limit ?? '-',
      method: params.method === 'safeStorage' ? 'the system keyring' : 'a master passphrase',
    });
    // zh-CN gets its own word for the method.
    const zh =
      code === 'wrong_method'
        ? localized['zh-CN'].replace('the system keyring', '系统钥匙串').replace('a master passphrase', '主密码')
        : localized['zh-CN'];
    super(localized.en);
    this.name = 'VaultError';
    this.code = code;
    this.localized = { en: localized.en, 'zh-CN': zh };
  }
}
