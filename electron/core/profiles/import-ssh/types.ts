/** What the ssh_config importer returns and takes, and how it adds a warning. */

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

/** Wildcard or negated patterns of one Host line: not nodes, but their settings apply to the hosts they match. */
export interface SshPatternBlock {
  /** Line of the `Host` line (for an included file: the `Include` line). */
  line: number;
  patterns: string[];
}

export interface SshConfigImport {
  hosts: SshHostCandidate[];
  warnings: SshConfigWarning[];
  /** So the operator sees what was not offered as a node, and why. */
  patterns: SshPatternBlock[];
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

export function warn(warnings: SshConfigWarning[], line: number, en: string, zh: string): void {
  warnings.push({ line, message: { en, 'zh-CN': zh } });
}
