/** Secrets every node must hold identically, compared by digest (only digests leave the nodes, never a key). */
import { L } from '../checks';
import { group, names, outliers, type Rule } from './sweep';

/**
 * Shared key files (the node kind's sharedFiles; Harbor's: the token key pair and the secret key) that differ between nodes:
 * a token signed on one node is refused on another, so login works and push fails with "unauthorized"
 * (harbor-facts §4.4, §7, goharbor/harbor#20865). One problem for all files; the nodes named are those outside each
 * file's largest group.
 */
export const keysDiffer: Rule = ({ graph, reachable, keys, dataVolume }) => {
  const byPath = new Map<string, Map<string, string[]>>();
  for (const [nodeId, list] of keys) {
    if (!reachable.some((n) => n.nodeId === nodeId)) continue;
    for (const k of list) {
      if (!k.digest) continue;
      const digests = byPath.get(k.path) ?? new Map<string, string[]>();
      group(digests, k.digest, nodeId);
      byPath.set(k.path, digests);
    }
  }
  const differing = [...byPath].filter(([, digests]) => digests.size > 1);
  if (!differing.length) return [];
  const files = differing.map(([path]) => path).join(', ');
  // Every file the sweep compared (2.x copies all of them from node 1), as the node kind named them.
  const compared = [
    ...new Set([...keys].filter(([nodeId]) => reachable.some((n) => n.nodeId === nodeId)).flatMap(([, list]) => list.map((k) => k.path))),
  ];
  const odd = differing.flatMap(([, digests]) => outliers(digests, graph));
  return [
    {
      id: 'keys:differ',
      severity: 'error',
      subject: { kind: 'cluster' },
      nodes: [...new Set(odd)],
      title: L(`Shared key files differ between nodes: ${files}`, `各节点的共享密钥文件不一致：${files}`),
      fix:
        graph.generation === 'v2'
          ? L(
              `Login works but push fails with "unauthorized" when a token signed on one node is checked on another. Copy node 1's ${compared.join(', ')} to the others and restart Harbor there.`,
              `在一个节点签发的令牌到另一个节点校验时，会出现登录成功但推送报 unauthorized。请把节点 1 的 ${compared.join('、')} 复制到其他节点并重启 Harbor。`,
            )
          : L(
              `Each node must use node 1's key material: copy node 1's ha/ folder (private_key.pem, root.crt, secretkey) to the others, run ./prepare --ha there and restart; ${dataVolume}/secretkey must match too.`,
              `每个节点都必须使用节点 1 的密钥材料：请把节点 1 的 ha/ 目录（private_key.pem、root.crt、secretkey）复制到其他节点，在那里执行 ./prepare --ha 并重启；${dataVolume}/secretkey 也必须一致。`,
            ),
      refs: ['goharbor/harbor#20865'],
    },
  ];
};

/**
 * 2.x: a CSRF_KEY that differs between cores. prepare writes a random one on every install or reconfigure, and a
 * login form served by one node is refused with 403 "CSRF token invalid" when it lands on another
 * (harbor-facts §4.4, "Things the app must get right" 3, goharbor/harbor#21060).
 */
export const csrfDiffers: Rule = ({ graph, reachable, csrf }) => {
  const byDigest = new Map<string, string[]>();
  let file = '';
  for (const [nodeId, c] of csrf ?? []) {
    if (!c.digest || !reachable.some((n) => n.nodeId === nodeId)) continue;
    group(byDigest, c.digest, nodeId);
    file ||= c.path;
  }
  if (byDigest.size < 2) return [];
  const odd = outliers(byDigest, graph);
  return [
    {
      id: 'csrf:differ',
      severity: 'error',
      subject: { kind: 'cluster' },
      nodes: odd,
      title: L(`CSRF_KEY differs between nodes: ${names(graph, odd)}`, `各节点的 CSRF_KEY 不一致：${names(graph, odd)}`),
      fix: L(
        `prepare writes a new random CSRF_KEY into ${file} on every install or reconfigure, so a login page served by one node is refused with 403 "CSRF token invalid" when the form lands on another. Put node 1's CSRF_KEY line into ${file} on the other nodes and recreate core there with "docker compose up -d core" (a restart keeps the old environment); rerunning the deployment does this in its CSRF step. Keep the clocks in sync too.`,
        `prepare 每次安装或重新配置都会在 ${file} 中写入新的随机 CSRF_KEY，因此一个节点提供的登录页提交到另一个节点时会被拒绝（403 "CSRF token invalid"）。请把节点 1 的 CSRF_KEY 行写入其他节点的 ${file}，并在那里用 "docker compose up -d core" 重建 core（restart 会保留旧的环境变量）；重新运行部署会在其 CSRF 步骤中完成这些操作。同时请保持时钟同步。`,
      ),
      refs: ['goharbor/harbor#21060'],
    },
  ];
};
