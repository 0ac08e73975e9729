/**
 * Files on the machine running the core that the profile form refers to: path completion for serve mode (a browser
 * cannot hand over a path), and reading a certificate or a private key the operator points at. A private key is read
 * here and staged (profiles/staging.ts), so its bytes never travel to the renderer; a certificate is public and comes
 * back as text, but only when the file holds certificates and nothing else.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, sep } from 'node:path';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { MAX_FILE_BYTES } from '../../../shared/api/limits';
import type { PathCompletion } from '../../../shared/api/types';

/** Completions offered at most; a folder with more says so (the operator types more letters). */
export const MAX_COMPLETIONS = 200;

/** `~/x` and `~` as the user's home; relative paths from the home folder, where the app's file dialogs start too. */
export function expandHome(path: string, home = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith(`~${sep}`)) return join(home, path.slice(2));
  return isAbsolute(path) ? path : join(home, path);
}

/**
 * The entries of the folder `prefix` points into whose names start with what follows its last separator; folders end
 * with a separator so that accepting one continues into it. Hidden entries only when the typed name starts with a dot.
 */
export function completePath(prefix: string, home = homedir()): PathCompletion {
  const typed = prefix === '~' ? '~/' : prefix;
  const cut = Math.max(typed.lastIndexOf('/'), sep === '\\' ? typed.lastIndexOf('\\') : -1);
  const typedDir = typed.slice(0, cut + 1);
  const start = typed.slice(cut + 1);
  const dir = typedDir ? expandHome(typedDir, home) : home;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { entries: [], truncated: false };
  }
  const shown = names
    .filter((n) => n.startsWith(start) && (start.startsWith('.') || !n.startsWith('.')))
    .sort((a, b) => a.localeCompare(b));
  const entries = shown.slice(0, MAX_COMPLETIONS).map((name) => {
    let directory = false;
    try {
      directory = statSync(join(dir, name)).isDirectory();
    } catch {
      // a dangling link or a file that vanished: offered as a file; reading it will say what is wrong
    }
    return { path: `${typedDir}${name}${directory ? '/' : ''}`, directory };
  });
  return { entries, truncated: shown.length > MAX_COMPLETIONS };
}

function readSmallFile(path: string, field: string): string {
  const full = expandHome(path);
  let size: number;
  try {
    const st = lstatSync(full).isSymbolicLink() ? statSync(full) : lstatSync(full);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw refused(field, L(`${path} is not a readable file on this computer.`, `${path} 不是本机上可读取的文件。`));
  }
  if (size > MAX_FILE_BYTES) {
    throw refused(field, L(`${path} is larger than 1 MiB: that is no certificate or key.`, `${path} 大于 1 MiB：这不是证书或密钥文件。`));
  }
  try {
    return readFileSync(full, 'utf8');
  } catch {
    throw refused(field, L(`${path} cannot be read (permissions?).`, `无法读取 ${path}（权限不足？）。`));
  }
}

function refused(field: string, message: ReturnType<typeof L>): ApiError {
  return new ApiError({ code: 'invalid_input', message, issues: [{ path: field, message }] });
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The certificate chain a file holds (PEM), refused when it holds anything else (a key pasted into a chain file). */
export function readCertificateFile(path: string): string {
  const text = readSmallFile(path, 'path');
  const labels = [...text.matchAll(PEM_BLOCK)].map((m) => m[1]);
  if (labels.length === 0 || labels.some((l) => l !== 'CERTIFICATE')) {
    throw refused(
      'path',
      L(
        `${path} is not a PEM certificate file (only "BEGIN CERTIFICATE" blocks are read here; choose the key in its own field).`,
        `${path} 不是 PEM 证书文件（此处只读取“BEGIN CERTIFICATE”块；私钥请在它自己的字段中选择）。`,
      ),
    );
  }
  return `${[...text.matchAll(PEM_BLOCK)].map((m) => m[0]).join('\n')}\n`;
}

/** The private key a file holds (PEM), for staging; refused when the file holds no key or an encrypted one. */
export function readPrivateKeyFile(path: string): string {
  const text = readSmallFile(path, 'path');
  const blocks = [...text.matchAll(PEM_BLOCK)].filter((m) => /PRIVATE KEY$/.test(m[1]!));
  const key = blocks[0];
  if (!key || blocks.length > 1 || key[1] === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(key[0])) {
    throw refused(
      'path',
      L(
        `${path} holds no single unencrypted PEM private key (decrypt it first: openssl pkey -in key.pem -out plain.pem).`,
        `${path} 中没有唯一的未加密 PEM 私钥（请先解密：openssl pkey -in key.pem -out plain.pem）。`,
      ),
    );
  }
  return `${key[0]}\n`;
}
