/**
 * The config as settings under the Host conditions they depend on, read through Include, and the
 * first obtained value of each keyword for one host name.
 */
import { expandTilde, joinPath } from './values';
import { conditionsMatch, isConcrete, splitConfigLine, type Condition } from './syntax';
import { warn, type SshConfigOptions, type SshConfigWarning, type SshPatternBlock } from './types';

export interface Setting {
  key: string;
  args: string[];
  line: number;
  conditions: Condition[];
}

export interface HostDecl {
  alias: string;
  line: number;
  /** Conditions of the blocks around the Include that holds this Host line (empty at top level). */
  outer: Condition[];
}

const MAX_INCLUDE_DEPTH = 16;

/** Every setting and concrete Host alias of the config, in file order, with includes read in place. */
export function readConfig(
  text: string,
  options: SshConfigOptions,
  warnings: SshConfigWarning[],
): { settings: Setting[]; decls: HostDecl[]; patterns: SshPatternBlock[] } {
  const settings: Setting[] = [];
  const decls: HostDecl[] = [];
  const patterns: SshPatternBlock[] = [];
  const sshDir = joinPath(options.home, '.ssh');

  /**
   * Reads one file's lines. `outer` is the condition chain of the block that holds the Include
   * (empty at top level); Host and Match lines replace only the inner condition, and the outer
   * block's state is restored after the included file, as OpenSSH does.
   */
  const readFile = (content: string, outer: Condition[], depth: number, topLine: number | undefined, fileLabel: string | undefined) => {
    let current: Condition[] = outer;
    const lines = content.split(/\r?\n/);
    lines.forEach((raw, index) => {
      const line = topLine ?? index + 1;
      const where = fileLabel ? ` (${fileLabel}:${index + 1})` : '';
      let parsed: { key: string; args: string[] } | undefined;
      try {
        parsed = splitConfigLine(raw);
      } catch {
        warn(warnings, line, `unterminated quote; line ignored${where}`, `引号未闭合，已忽略此行${where}`);
        return;
      }
      if (!parsed) return;
      const { key, args } = parsed;
      if (key === 'host') {
        if (args.length === 0) {
          warn(warnings, line, `Host without a pattern; block ignored${where}`, `Host 后没有主机模式，已忽略此段${where}`);
          current = [...outer, { kind: 'never' }];
          return;
        }
        current = [...outer, { kind: 'host', patterns: args }];
        for (const p of args) if (isConcrete(p)) decls.push({ alias: p, line, outer });
        const wild = args.filter((p) => !isConcrete(p));
        if (wild.length) patterns.push({ line, patterns: wild });
        return;
      }
      if (key === 'match') {
        warn(
          warnings,
          line,
          `Match blocks are not evaluated; the settings up to the next Host or Match line were skipped${where}`,
          `不支持 Match 段；到下一个 Host 或 Match 行之前的设置已跳过${where}`,
        );
        current = [...outer, { kind: 'never' }];
        return;
      }
      if (key === 'include') {
        if (depth >= MAX_INCLUDE_DEPTH) {
          warn(warnings, line, `Include nested too deeply (a loop?); skipped${where}`, `Include 嵌套过深（可能循环引用），已跳过${where}`);
          return;
        }
        for (const arg of args) {
          const expanded = expandTilde(arg, options.home);
          const path = expanded.startsWith('/') ? expanded : joinPath(sshDir, expanded);
          const content = options.readInclude?.(path);
          if (content === undefined) {
            const glob = /[*?[]/.test(path);
            warn(
              warnings,
              line,
              glob
                ? `Include ${path}: no file matched (or globs cannot be expanded here); skipped`
                : `Include ${path}: file not found; skipped`,
              glob ? `Include ${path}：没有匹配的文件（或此处无法展开通配符），已跳过` : `Include ${path}：文件不存在，已跳过`,
            );
            continue;
          }
          readFile(content, current, depth + 1, line, path);
        }
        return;
      }
      settings.push({ key, args, line, conditions: current });
    });
  };

  readFile(text, [], 0, undefined, undefined);
  return { settings, decls, patterns };
}

interface Resolved {
  hostName?: { value: string; line: number };
  port?: { value: string; line: number };
  user?: { value: string; line: number };
  identityFile?: { value: string; line: number };
  /** ProxyJump or ProxyCommand, whichever is obtained first (they exclude each other). */
  proxy?: { kind: 'jump' | 'command'; value: string; line: number };
}

/** Collects the first obtained value of each relevant keyword for one host name. */
export function resolve(settings: Setting[], name: string): Resolved {
  const r: Resolved = {};
  for (const s of settings) {
    if (!conditionsMatch(s.conditions, name)) continue;
    const value = s.args.join(' ');
    const first = s.args[0] ?? '';
    switch (s.key) {
      case 'hostname':
        r.hostName ??= { value: first, line: s.line };
        break;
      case 'port':
        r.port ??= { value: first, line: s.line };
        break;
      case 'user':
        r.user ??= { value: first, line: s.line };
        break;
      case 'identityfile':
        r.identityFile ??= { value: first, line: s.line };
        break;
      case 'proxyjump':
        r.proxy ??= { kind: 'jump', value: first, line: s.line };
        break;
      case 'proxycommand':
        r.proxy ??= { kind: 'command', value, line: s.line };
        break;
    }
  }
  return r;
}
