/** SSH failures, one per cause, each naming the node and saying what to do (zh-CN and en). */
import { ApiError } from '../../../shared/errors';
import type { Localized } from '../../../shared/i18n/localized';

export type SshErrorCode =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'auth'
  | 'host_key_unknown'
  | 'host_key_changed'
  | 'host_key_revoked'
  | 'host_key_profile_mismatch'
  | 'key_file'
  | 'agent'
  | 'disconnected'
  | 'protocol';

export interface SshErrorDetail {
  /** The presented host key's fingerprint, for host key errors (what the UI shows to confirm). */
  readonly fingerprint?: string;
  readonly keyType?: string;
  /** known_hosts lines that disagree, as `file:line: text`. */
  readonly knownHostsLines?: readonly string[];
  readonly cause?: string;
}

function text(code: SshErrorCode, node: string, d: SshErrorDetail): Localized {
  const lines = (d.knownHostsLines ?? []).join('\n');
  switch (code) {
    case 'dns':
      return {
        en: `${node}: the host name cannot be resolved. Check the address in the profile, or use the IP address.`,
        'zh-CN': `${node}：无法解析主机名。请检查集群配置中的地址，或改用 IP 地址。`,
      };
    case 'refused':
      return {
        en: `${node}: the connection was refused. Is sshd running and listening on that port? Check the port and the security group.`,
        'zh-CN': `${node}：连接被拒绝。sshd 是否在运行并监听该端口？请检查端口与安全组。`,
      };
    case 'timeout':
      return {
        en: `${node}: no answer in time. Check the address, the security group / firewall (port 22), and any jump host.`,
        'zh-CN': `${node}：连接超时。请检查地址、安全组/防火墙（22 端口）以及跳板机。`,
      };
    case 'unreachable':
      return {
        en: `${node}: the network cannot reach this address. Check the address, routes and VPN.`,
        'zh-CN': `${node}：网络无法到达该地址。请检查地址、路由与 VPN。`,
      };
    case 'auth':
      return {
        en: `${node}: the server refused the login. Check the user name and the password or key in the profile (and that root login is allowed if you use root).`,
        'zh-CN': `${node}：服务器拒绝登录。请检查集群配置中的用户名与密码或密钥（如使用 root，请确认允许 root 登录）。`,
      };
    case 'host_key_unknown':
      return {
        en: `${node}: this host is not known yet. Its key fingerprint is ${d.fingerprint}. Compare it with the server's (ssh-keygen -lf /etc/ssh/ssh_host_${(d.keyType ?? 'ed25519').replace(/^ssh-/, '')}_key.pub) before trusting it. No password was sent.`,
        'zh-CN': `${node}：尚未记录此主机。其密钥指纹为 ${d.fingerprint}。信任之前请与服务器上的指纹核对（ssh-keygen -lf /etc/ssh/ssh_host_${(d.keyType ?? 'ed25519').replace(/^ssh-/, '')}_key.pub）。未发送任何密码。`,
      };
    case 'host_key_changed':
      return {
        en: `${node}: THE HOST KEY HAS CHANGED (now ${d.fingerprint}). Someone may be intercepting the connection, or the server was reinstalled. Nothing was sent. If the change is legitimate, remove this line and connect again:\n${lines}`,
        'zh-CN': `${node}：主机密钥已改变（现为 ${d.fingerprint}）。可能有人在拦截连接，也可能是服务器重装了系统。未发送任何凭据。如确认变更合法，请删除以下记录后重新连接：\n${lines}`,
      };
    case 'host_key_revoked':
      return {
        en: `${node}: the host presented a key marked @revoked (${d.fingerprint}). Nothing was sent. Replace the server's host key.`,
        'zh-CN': `${node}：主机出示的密钥已被标记为 @revoked（${d.fingerprint}）。未发送任何凭据。请更换服务器的主机密钥。`,
      };
    case 'host_key_profile_mismatch':
      return {
        en: `${node}: the host key ${d.fingerprint} is not the fingerprint the profile expects. Nothing was sent. Check the fingerprint in the profile or the server.`,
        'zh-CN': `${node}：主机密钥 ${d.fingerprint} 与集群配置中预期的指纹不一致。未发送任何凭据。请检查集群配置中的指纹或服务器。`,
      };
    case 'key_file':
      return {
        en: `${node}: the private key cannot be used (${d.cause ?? 'unreadable'}). Check the key file path and its passphrase.`,
        'zh-CN': `${node}：无法使用私钥（${d.cause ?? '无法读取'}）。请检查密钥文件路径及其口令。`,
      };
    case 'agent':
      return {
        en: `${node}: no SSH agent is available (SSH_AUTH_SOCK is not set). Start ssh-agent and add the key, or choose a key file.`,
        'zh-CN': `${node}：没有可用的 SSH agent（未设置 SSH_AUTH_SOCK）。请启动 ssh-agent 并添加密钥，或改用密钥文件。`,
      };
    case 'disconnected':
      return { en: `${node}: the connection was lost.`, 'zh-CN': `${node}：连接已断开。` };
    case 'protocol':
      return {
        en: `${node}: the SSH session failed (${d.cause ?? 'protocol error'}).`,
        'zh-CN': `${node}：SSH 会话失败（${d.cause ?? '协议错误'}）。`,
      };
  }
}

export class SshError extends Error {
  readonly code: SshErrorCode;
  readonly node: string;
  readonly detail: SshErrorDetail;
  readonly localized: Localized;

  constructor(code: SshErrorCode, node: string, detail: SshErrorDetail = {}) {
    const localized = text(code, node, detail);
    super(localized.en);
    this.name = 'SshError';
    this.code = code;
    this.node = node;
    this.detail = detail;
    this.localized = localized;
  }

  toApiError(): ApiError {
    return new ApiError({ code: 'ssh', reason: this.code, node: this.node, message: this.localized });
  }
}

/** Maps what ssh2 or the socket reported to one cause. */
export function classify(error: unknown, node: string): SshError {
  if (error instanceof SshError) return error;
  const e = error as { code?: string; level?: string; message?: string };
  const code = e?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new SshError('dns', node);
  if (code === 'ECONNREFUSED') return new SshError('refused', node);
  if (code === 'ETIMEDOUT' || e?.level === 'client-timeout' || /timed out/i.test(e?.message ?? '')) return new SshError('timeout', node);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new SshError('unreachable', node);
  if (e?.level === 'client-authentication') return new SshError('auth', node);
  if (code === 'ECONNRESET' || code === 'EPIPE') return new SshError('disconnected', node);
  if (/Connection refused/i.test(e?.message ?? '')) return new SshError('refused', node);
  return new SshError('protocol', node, { cause: e?.message ?? String(error) });
}
