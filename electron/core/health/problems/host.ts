/** The nodes' machines: free space and clocks. */
import { L } from '../checks';
import { names, onNodes, type Rule } from './sweep';

/**
 * Little free space on the data volume or Harbor's log folder (a warning from 90 % used, an error from 97 %, see
 * DISK in checks.ts; a df that fails warns too): with OSS as the image store, what fills them is job logs and
 * installer files.
 */
export const lowDisk: Rule = ({ graph, reachable, dataVolume }) => {
  const full = reachable.filter((n) => n.disks.status === 'warn' || n.disks.status === 'fail');
  return onNodes(
    full.map((n) => n.nodeId),
    (ids) => ({
      id: 'disk',
      severity: full.some((n) => n.disks.status === 'fail') ? 'error' : 'warning',
      title: L(`Little free space on ${names(graph, ids)}`, `${names(graph, ids)} 磁盘剩余空间不足`),
      fix: L(
        `With OSS as the image store, ${dataVolume} holds job logs, secrets and the image bundle: remove old ${dataVolume}/job_logs and installer files; /var/log/harbor is rotated by the log container (check its logrotate.conf).`,
        `镜像存储在 OSS 时，${dataVolume} 中主要是任务日志、密钥和镜像包：请清理旧的 ${dataVolume}/job_logs 与安装包；/var/log/harbor 由 log 容器轮转（检查其 logrotate.conf）。`,
      ),
    }),
  );
};

/**
 * Clocks off this computer's (a warning from 5 s, CLOCK in checks.ts): tokens and the UI's CSRF check fail when
 * requests hop between nodes whose clocks differ (harbor-facts §7, goharbor/harbor#21060).
 */
export const clockOff: Rule = ({ graph, reachable }) =>
  onNodes(
    reachable.filter((n) => n.clock.status === 'warn' || n.clock.status === 'fail').map((n) => n.nodeId),
    (ids) => ({
      id: 'clock',
      severity: 'warning',
      title: L(`Clock off on ${names(graph, ids)}`, `${names(graph, ids)} 时钟不准`),
      fix: L(
        'Keep every node on NTP (chronyd): tokens and the UI’s CSRF check fail when requests hop between nodes whose clocks differ.',
        '请让所有节点使用 NTP（chronyd）同步时钟：节点间时钟不一致时，请求在节点间切换会导致令牌与界面的 CSRF 校验失败。',
      ),
      refs: ['goharbor/harbor#21060'],
    }),
  );
