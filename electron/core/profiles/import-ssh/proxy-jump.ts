/** ProxyJump: hop specs, each resolved through the config (its HostName, Port, User and own ProxyJump). */
import { resolve, type Setting } from './read-config';
import { expandTokens, validHost } from './values';
import { warn, type SshConfigWarning, type SshJumpHop } from './types';

const MAX_JUMP_DEPTH = 8;

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

/** The hops of a ProxyJump value, first to last; undefined (with a warning) when one cannot be resolved or they loop. */
export function jumpResolver(
  settings: Setting[],
  warnings: SshConfigWarning[],
): (value: string, depth: number, line: number, seen: Set<string>) => SshJumpHop[] | undefined {
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
      warn(
        warnings,
        r.proxy.line,
        `the jump host ${name} uses ProxyCommand, which is not supported; use ProxyJump`,
        `跳板机 ${name} 使用了 ProxyCommand，不支持；请改用 ProxyJump`,
      );
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
        warn(
          warnings,
          line,
          `jump host "${last.host}" is not a valid host name or IP address`,
          `跳板机“${last.host}”不是有效的主机名或 IP 地址`,
        );
        return undefined;
      }
      hops.push(...chain);
    }
    return hops;
  };

  return jumpChain;
}
