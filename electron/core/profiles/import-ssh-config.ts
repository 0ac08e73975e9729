/**
 * Node candidates from an OpenSSH client config (`~/.ssh/config`), following the parts of
 * ssh_config(5) that decide where and as whom the app connects: Host patterns (first obtained value
 * wins, wildcard and negated patterns apply to the concrete hosts they match), Include, HostName,
 * Port, User, IdentityFile and ProxyJump. Pure: the caller supplies file contents (`readInclude`),
 * so this runs in tests, the CLI and serve mode alike.
 */
import { host as hostSchema } from '../../../shared/profile/fields';

export interface SshJumpHop {
  host: string;
  port: number;
  user?: string;
}

export interface SshHostCandidate {
  /** The name after `Host`, as the operator types it with `ssh <alias>`. */
  alias: string;
  /** HostName (with `%h` expanded) or the alias itself. */
  host: string;
  port: number;
  user?: string;
  /** The first IdentityFile that applies, with `~` and `%` tokens expanded. */
  identityFile?: string;
  /** Hops first to last, each resolved through the config; absent without ProxyJump or with `none`. */
  proxyJump?: SshJumpHop[];
  /** Line of the `Host` line that names the alias (for an included file: the `Include` line). */
  line: number;
}

export interface SshConfigWarning {
  line: number;
  message: { en: string; 'zh-CN': string };
}

export interface SshConfigImport {
  hosts: SshHostCandidate[];
  warnings: SshConfigWarning[];
}

export interface SshConfigOptions {
  /** The local user's home directory: `~` and `%d` expand to it; `%u` is its last component. */
  home: string;
  /**
   * Reads an included file by absolute path (after `~` expansion and resolution against
   * `<home>/.ssh`); undefined when it does not exist. The importer does not list directories, so a
   * glob pattern is passed as is: return the concatenated matches, or undefined to get a warning.
   */
  readInclude?: (path: string) => string | undefined;
}

/** One pattern list a setting depends on: every list in the chain must match the host. */
type Condition = { kind: 'host'; patterns: string[] } | { kind: 'never' };

interface Setting {
  key: string;
  args: string[];
  line: number;
  conditions: Condition[];
}

interface HostDecl {
  alias: string;
  line: number;
  /** Conditions of the blocks around the Include that holds this Host line (empty at top level). */
  outer: Condition[];
}

const MAX_INCLUDE_DEPTH = 16;
const MAX_JUMP_DEPTH = 8;

function warn(warnings: SshConfigWarning[], line: number, en: string, zh: string): void {
  warnings.push({ line, message: { en, 'zh-CN': zh } });
}

/**
 * Splits a config line into keyword and arguments as OpenSSH does: the keyword ends at whitespace
 * or `=`; arguments are separated by whitespace, may be quoted with `"` or `'`, and a `#` that
 * starts an unquoted argument ends the line. Returns undefined for blank and comment lines.
 */
export function splitConfigLine(raw: string): { key: string; args: string[] } | undefined {
  const text = raw.replace(/^\s+/, '');
  if (text === '' || text.startsWith('#')) return undefined;
  const m = /^([^\s=]+)\s*(?:=\s*)?/.exec(text);
  if (!m) return undefined;
  const key = m[1]!.toLowerCase();
  const rest = text.slice(m[0].length);
  const args: string[] = [];
  let i = 0;
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
    if (i >= rest.length) break;
    if (rest[i] === '#') break;
    let arg = '';
    let quote: string | undefined;
    while (i < rest.length) {
      const c = rest[i]!;
      if (quote) {
        if (c === '\\' && (rest[i + 1] === quote || rest[i + 1] === '\\')) {
          arg += rest[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) {
          quote = undefined;
          i++;
          continue;
        }
        arg += c;
        i++;
        continue;
      }
      if (/\s/.test(c)) break;
      if (c === '"' || c === "'") {
        quote = c;
        i++;
        continue;
      }
      if (c === '\\' && i + 1 < rest.length) {
        arg += rest[i + 1];
        i += 2;
        continue;
      }
      arg += c;
      i++;
    }
    if (quote) throw new Error(`unterminated quote`);
    args.push(arg);
  }
  return { key, args };
}

/** ssh_config(5) PATTERNS: `*` any run, `?` one character; case-insensitive for host names. */
function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(value);
}

/** A pattern list matches when a positive pattern matches and no negated one does. */
function patternListMatches(patterns: string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) {
      matched = true;
    }
  }
  return matched;
}

function conditionsMatch(conditions: Condition[], name: string): boolean {
  return conditions.every((c) => c.kind === 'host' && patternListMatches(c.patterns, name));
}

function isConcrete(pattern: string): boolean {
  return !/[*?!]/.test(pattern);
}

function joinPath(dir: string, rel: string): string {
  return `${dir.replace(/\/+$/, '')}/${rel}`;
}

function expandTilde(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return joinPath(home, path.slice(2));
  return path;
}

function localUser(home: string): string {
  const parts = home.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1] || 'root';
}

/** Expands the `%` tokens ssh_config allows in the given keyword; unknown tokens are reported. */
function expandTokens(value: string, tokens: Record<string, string>, onUnknown: (token: string) => void): string {
  return value.replace(/%(.)/g, (whole, t: string) => {
    if (t === '%') return '%';
    const v = tokens[t];
    if (v === undefined) {
      onUnknown(whole);
      return whole;
    }
    return v;
  });
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
function resolve(settings: Setting[], name: string): Resolved {
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

function validHost(value: string): boolean {
  return hostSchema.safeParse(value).success;
}

/** Parses `[user@]host[:port]`, `[user@][v6]:port` or `ssh://[user@]host[:port]`. */
function parseHop(spec: string): { user?: string; host: string; port?: number } | undefined {
  let s = spec.replace(/^ssh:\/\//i, '').replace(/\/$/, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
    if (!user) return undefined;
  }
  let hostPart = s;
  let portPart: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) {
    hostPart = bracket[1]!;
    portPart = bracket[2];
  } else if ((s.match(/:/g) ?? []).length === 1) {
    [hostPart, portPart] = s.split(':') as [string, string];
  }
  if (!hostPart) return undefined;
  let port: number | undefined;
  if (portPart !== undefined) {
    port = Number(portPart);
    if (!/^\d+$/.test(portPart) || port < 1 || port > 65535) return undefined;
  }
  return { ...(user ? { user } : {}), host: hostPart, ...(port !== undefined ? { port } : {}) };
}

export function parseSshConfig(text: string, options: SshConfigOptions): SshConfigImport {
  const warnings: SshConfigWarning[] = [];
  const settings: Setting[] = [];
  const decls: HostDecl[] = [];
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
              glob ? `Include ${path}: no file matched (or globs cannot be expanded here); skipped` : `Include ${path}: file not found; skipped`,
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

  const describe = (name: string, depth: number, line: number, seen: Set<string>): SshJumpHop[] | undefined => {
    // Resolves a jump host name through the config: its HostName, Port, User and its own ProxyJump.
    const r = resolve(settings, name);
    const hostName = r.hostName ? expandTokens(r.hostName.value, { h: name }, () => undefined) : name;
    const port = r.port && /^\d+$/.test(r.port.value) ? Number(r.port.value) : 22;
    const hop: SshJumpHop = { host: hostName, port, ...(r.user ? { user: r.user.value } : {}) };
    let before: SshJumpHop[] = [];
    if (r.proxy?.kind === 'jump' && r.proxy.value.toLowerCase() !== 'none') {
      if (seen.has(name.toLowerCase()) || depth >= MAX_JUMP_DEPTH) {
        warn(warnings, line, `ProxyJump loop through ${name}`, `ProxyJump 通过 ${name} 形成循环`);
        return undefined;
      }
      const inner = jumpChain(r.proxy.value, depth + 1, r.proxy.line, new Set([...seen, name.toLowerCase()]));
      if (!inner) return undefined;
      before = inner;
    } else if (r.proxy?.kind === 'command') {
      warn(warnings, r.proxy.line, `the jump host ${name} uses ProxyCommand, which is not supported; use ProxyJump`, `跳板机 ${name} 使用了 ProxyCommand，不支持；请改用 ProxyJump`);
    }
    return [...before, hop];
  };

  const jumpChain = (value: string, depth: number, line: number, seen: Set<string>): SshJumpHop[] | undefined => {
    const hops: SshJumpHop[] = [];
    for (const spec of value.split(',')) {
      const parsed = parseHop(spec.trim());
      if (!parsed) {
        warn(warnings, line, `ProxyJump "${spec}" is not [user@]host[:port]`, `ProxyJump “${spec}” 不是 [用户@]主机[:端口] 的形式`);
        return undefined;
      }
      const chain = describe(parsed.host, depth, line, seen);
      if (!chain) return undefined;
      const last = chain[chain.length - 1]!;
      // Explicit user and port in the ProxyJump spec win over the jump host's own config.
      if (parsed.user) last.user = parsed.user;
      if (parsed.port !== undefined) last.port = parsed.port;
      if (!validHost(last.host)) {
        warn(warnings, line, `jump host "${last.host}" is not a valid host name or IP address`, `跳板机“${last.host}”不是有效的主机名或 IP 地址`);
        return undefined;
      }
      hops.push(...chain);
    }
    return hops;
  };

  const hosts: SshHostCandidate[] = [];
  const seenAliases = new Set<string>();
  for (const decl of decls) {
    const key = decl.alias.toLowerCase();
    if (seenAliases.has(key)) continue;
    if (!conditionsMatch(decl.outer, decl.alias)) {
      // Declared in a file included from a Host block that does not match this alias: ssh never applies it.
      warn(
        warnings,
        decl.line,
        `${decl.alias} is declared in a file included inside a Host or Match block that does not apply to it, so ssh never applies its settings; not imported`,
        `${decl.alias} 声明在某个 Host 或 Match 段内引入的文件中，而该段对它不适用，ssh 不会应用其设置；未导入`,
      );
      continue;
    }
    seenAliases.add(key);
    const r = resolve(settings, decl.alias);
    const hostName = r.hostName
      ? expandTokens(r.hostName.value, { h: decl.alias }, (t) =>
          warn(warnings, r.hostName!.line, `${decl.alias}: HostName token ${t} is not supported`, `${decl.alias}：HostName 中的 ${t} 不受支持`),
        )
      : decl.alias;
    if (!validHost(hostName)) {
      warn(
        warnings,
        decl.line,
        `${decl.alias}: "${hostName}" is not a valid host name or IP address; not imported`,
        `${decl.alias}：“${hostName}”不是有效的主机名或 IP 地址，未导入`,
      );
      continue;
    }
    let port = 22;
    if (r.port) {
      const n = Number(r.port.value);
      if (/^\d+$/.test(r.port.value) && n >= 1 && n <= 65535) port = n;
      else warn(warnings, r.port.line, `${decl.alias}: Port "${r.port.value}" is not a port number; using 22`, `${decl.alias}：Port “${r.port.value}”不是端口号，改用 22`);
    }
    const candidate: SshHostCandidate = { alias: decl.alias, host: hostName, port, line: decl.line };
    if (r.user) candidate.user = r.user.value;
    if (r.identityFile) {
      const tokens = { d: options.home, u: localUser(options.home), h: hostName, r: r.user?.value ?? localUser(options.home), n: decl.alias, p: String(port), '~': options.home };
      const expanded = expandTokens(expandTilde(r.identityFile.value, options.home), tokens, (t) =>
        warn(warnings, r.identityFile!.line, `${decl.alias}: IdentityFile token ${t} is not supported`, `${decl.alias}：IdentityFile 中的 ${t} 不受支持`),
      );
      candidate.identityFile = expanded.startsWith('/') ? expanded : joinPath(options.home, expanded);
    }
    if (r.proxy?.kind === 'command') {
      if (r.proxy.value.toLowerCase() !== 'none')
        warn(
          warnings,
          r.proxy.line,
          `${decl.alias}: ProxyCommand is not supported; imported without a jump host. Use ProxyJump, or add the jump host in the profile`,
          `${decl.alias}：不支持 ProxyCommand，已按无跳板机导入。请改用 ProxyJump，或在配置中添加跳板机`,
        );
    } else if (r.proxy?.kind === 'jump' && r.proxy.value.toLowerCase() !== 'none') {
      const chain = jumpChain(r.proxy.value, 0, r.proxy.line, new Set([decl.alias.toLowerCase()]));
      if (!chain) {
        warn(warnings, decl.line, `${decl.alias}: its ProxyJump could not be resolved; not imported`, `${decl.alias}：无法解析其 ProxyJump，未导入`);
        continue;
      }
      candidate.proxyJump = chain;
    }
    hosts.push(candidate);
  }
  return { hosts, warnings };
}
