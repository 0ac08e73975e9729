/**
 * Node candidates from an OpenSSH client config (`~/.ssh/config`), following the parts of
 * ssh_config(5) that decide where and as whom the app connects: Host patterns (first obtained value
 * wins, wildcard and negated patterns apply to the concrete hosts they match), Include, HostName,
 * Port, User, IdentityFile and ProxyJump. Pure: the caller supplies file contents (`readInclude`),
 * so this runs in tests, the CLI and serve mode alike.
 */
import { jumpResolver } from './import-ssh/proxy-jump';
import { readConfig, resolve } from './import-ssh/read-config';
import { conditionsMatch } from './import-ssh/syntax';
import { warn, type SshConfigImport, type SshConfigOptions, type SshConfigWarning, type SshHostCandidate } from './import-ssh/types';
import { expandTilde, expandTokens, joinPath, localUser, validHost } from './import-ssh/values';

// Reading the lines, matching patterns, expanding values and resolving jumps live in import-ssh/; this is the entry.
export { splitConfigLine } from './import-ssh/syntax';
export type {
  SshConfigImport,
  SshConfigOptions,
  SshConfigWarning,
  SshHostCandidate,
  SshJumpHop,
  SshPatternBlock,
} from './import-ssh/types';

export function parseSshConfig(text: string, options: SshConfigOptions): SshConfigImport {
  const warnings: SshConfigWarning[] = [];
  const { settings, decls, patterns } = readConfig(text, options, warnings);
  const jumpChain = jumpResolver(settings, warnings);

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
          warn(
            warnings,
            r.hostName!.line,
            `${decl.alias}: HostName token ${t} is not supported`,
            `${decl.alias}：HostName 中的 ${t} 不受支持`,
          ),
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
      else
        warn(
          warnings,
          r.port.line,
          `${decl.alias}: Port "${r.port.value}" is not a port number; using 22`,
          `${decl.alias}：Port “${r.port.value}”不是端口号，改用 22`,
        );
    }
    const candidate: SshHostCandidate = { alias: decl.alias, host: hostName, port, line: decl.line };
    if (r.user) candidate.user = r.user.value;
    if (r.identityFile) {
      const tokens = {
        d: options.home,
        u: localUser(options.home),
        h: hostName,
        r: r.user?.value ?? localUser(options.home),
        n: decl.alias,
        p: String(port),
        '~': options.home,
      };
      const expanded = expandTokens(expandTilde(r.identityFile.value, options.home), tokens, (t) =>
        warn(
          warnings,
          r.identityFile!.line,
          `${decl.alias}: IdentityFile token ${t} is not supported`,
          `${decl.alias}：IdentityFile 中的 ${t} 不受支持`,
        ),
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
        warn(
          warnings,
          decl.line,
          `${decl.alias}: its ProxyJump could not be resolved; not imported`,
          `${decl.alias}：无法解析其 ProxyJump，未导入`,
        );
        continue;
      }
      candidate.proxyJump = chain;
    }
    hosts.push(candidate);
  }
  return { hosts, warnings, patterns };
}
