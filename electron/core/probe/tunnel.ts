/**
 * Network checks made from a node, not from the desktop: the node's sshd opens the TCP connection
 * (`direct-tcpip`), so name resolution, routes and the RDS/Redis whitelists are the node's. Our own
 * clients (mysql2, pg, a tiny RESP client, HTTP for OSS) then talk over that channel.
 */
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import type { Localized } from '../../../shared/i18n/localized';

export type ReachFailure = 'refused' | 'timeout' | 'dns' | 'prohibited' | 'other';

export class ReachError extends Error {
  constructor(
    readonly kind: ReachFailure,
    readonly from: string,
    readonly target: string,
    readonly cause_: string,
  ) {
    super(`${from} → ${target}: ${kind} (${cause_})`);
  }

  get localized(): Localized {
    const { from, target } = this;
    switch (this.kind) {
      case 'refused':
        return {
          en: `${from} cannot connect to ${target}: the connection was refused. Is the service running on that port?`,
          'zh-CN': `${from} 无法连接 ${target}：连接被拒绝。该端口上的服务是否在运行？`,
        };
      case 'timeout':
        return {
          en: `${from} cannot reach ${target}: no answer in time. Add the node's address to the service's whitelist (RDS/Redis) and check the security group.`,
          'zh-CN': `${from} 无法访问 ${target}：连接超时。请把节点地址加入服务的白名单（RDS/Redis），并检查安全组。`,
        };
      case 'dns':
        return {
          en: `${from} cannot resolve the name in ${target}. Check the address, or the node's DNS.`,
          'zh-CN': `${from} 无法解析 ${target} 中的主机名。请检查地址或节点的 DNS。`,
        };
      case 'prohibited':
        return {
          en: `${from} does not allow TCP forwarding (AllowTcpForwarding no in sshd_config), so the app cannot test ${target} from there. Allow it for this user, or check by hand.`,
          'zh-CN': `${from} 不允许 TCP 转发（sshd_config 中 AllowTcpForwarding no），应用无法从该节点测试 ${target}。请为该用户开启，或手工检查。`,
        };
      default:
        return { en: `${from} cannot connect to ${target} (${this.cause_}).`, 'zh-CN': `${from} 无法连接 ${target}（${this.cause_}）。` };
    }
  }
}

function classify(message: string, reason: number | undefined): ReachFailure {
  if (reason === 1 || /prohibited/i.test(message)) return 'prohibited';
  if (/refused/i.test(message)) return 'refused';
  if (/name or service not known|not known|getaddrinfo|resolve|No address/i.test(message)) return 'dns';
  if (/timed out|timeout/i.test(message)) return 'timeout';
  return 'other';
}

/** A TCP stream from the node to host:port, shaped like a socket for clients that expect one (pg). */
export function openFromNode(client: Client, from: string, host: string, port: number, timeoutMs = 8000): Promise<Duplex> {
  const target = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new ReachError('timeout', from, target, `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
      clearTimeout(timer);
      if (done) {
        channel?.close();
        return;
      }
      done = true;
      if (error) {
        const reason = (error as { reason?: number }).reason;
        return reject(new ReachError(classify(error.message, reason), from, target, error.message.replace(/^\(SSH\) /, '')));
      }
      resolve(socketLike(channel));
    });
  });
}

/** Adds the net.Socket methods pg and mysql2 call on their stream. */
function socketLike(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  s.setNoDelay = () => s;
  s.setKeepAlive = () => s;
  s.setTimeout = () => s;
  s.ref = () => s;
  s.unref = () => s;
  s.connect = () => {
    process.nextTick(() => s.emit('connect'));
    return s;
  };
  return s;
}
