/** The TLS certificates Harbor presents (through the load balancer, and on each node when TLS ends there). */
import type { CertificateCheck, TopologyProblem } from '../../../../shared/api/contracts/topology';
import type { Localized } from '../../../../shared/i18n/localized';
import { L } from '../checks';
import { group, names, outliers, type Rule, type Sweep } from './sweep';

/** Where a new certificate goes: the profile and a rerun of the deployment when TLS ends on the nodes, else the LB's listener. */
function installWhere({ graph, nodes }: Sweep): Localized {
  const tlsEndsOnNodes = graph.protocol === 'https' && nodes.some((n) => n.certificate);
  return tlsEndsOnNodes
    ? L(
        'with Maintenance → Certificate (harbor-ha rotate-cert), which saves them in the profile and puts them on one node at a time, restarting only Harbor’s proxy; or in the profile (Access → certificate and key) and rerun the deployment',
        '通过“维护 → 证书”（harbor-ha rotate-cert）安装：它把证书与私钥保存到配置中，并逐个节点放置、只重启 Harbor 的代理；或写入配置（访问 → 证书与私钥）并重新运行部署',
      )
    : L(
        `on ${graph.lb.title}’s HTTPS listener (and in the profile, so the app pins it)`,
        `到 ${graph.lb.title} 的 HTTPS 监听上（并写入配置，以便应用固定它）`,
      );
}

/** Every certificate the sweep saw: the load balancer's first, then the reachable nodes' (with their node). */
function certificates({ lb, reachable }: Sweep): { nodeId?: string; check: CertificateCheck }[] {
  return [
    ...(lb.certificate ? [{ check: lb.certificate }] : []),
    ...reachable.filter((n) => n.certificate).map((n) => ({ nodeId: n.nodeId, check: n.certificate! })),
  ];
}

type Reason = NonNullable<CertificateCheck['reason']>;

/** In this order: what makes docker refuse the certificate first, a coming expiry last. */
const REASONS: readonly Reason[] = ['expired', 'not_yet_valid', 'name', 'untrusted', 'expiring_soon', 'expiring'];

function tlsFix(reason: Reason, domain: string, where: Localized): Localized {
  switch (reason) {
    case 'expired':
      return L(
        `Docker refuses it ("x509: certificate has expired"). Renew the certificate and install it ${where.en}.`,
        `Docker 会拒绝该证书（“x509: certificate has expired”）。请续期证书并安装${where['zh-CN']}。`,
      );
    case 'not_yet_valid':
      return L(
        'Its validity starts in the future: check the clocks of this computer and the nodes (NTP) and the certificate’s start date.',
        '证书的生效时间在未来：请检查本机与各节点的时钟（NTP）以及证书的起始日期。',
      );
    case 'name':
      return L(
        `Issue a certificate whose subjectAltName includes ${domain} (docker checks the SAN, not the CN) and install it ${where.en}.`,
        `请签发 subjectAltName 包含 ${domain} 的证书（docker 校验 SAN，而非 CN），并安装${where['zh-CN']}。`,
      );
    case 'untrusted':
      return L(
        `Clients fail with "x509: certificate signed by unknown authority". Use a certificate from a public CA, or give every docker client the CA in /etc/docker/certs.d/${domain}/ca.crt; pin the certificate in the profile (Access → certificate) so the app knows it.`,
        `客户端会报“x509: certificate signed by unknown authority”。请使用公共 CA 签发的证书，或在每个 docker 客户端放置 /etc/docker/certs.d/${domain}/ca.crt；并在配置中固定该证书（访问 → 证书），让应用识别它。`,
      );
    case 'expiring_soon':
      return L(
        `Renew it now and install it ${where.en}: once it expires, docker refuses the registry ("x509: certificate has expired").`,
        `请立即续期并安装${where['zh-CN']}：证书一旦过期，docker 会拒绝该镜像仓库（“x509: certificate has expired”）。`,
      );
    case 'expiring':
      return L(`Renew it before it expires and install it ${where.en}.`, `请在过期前续期并安装${where['zh-CN']}。`);
  }
}

/**
 * Certificates docker clients will refuse (expired, not yet valid, not for the domain, trusted by no CA and not
 * pinned: x509 errors), or that expire within CERT_URGENT_DAYS (an error) or CERT_WARN_DAYS; one problem per reason, titled by the first one seen
 * (the load balancer's before the nodes'), with where to install the new one.
 */
export const badCertificates: Rule = (sweep) => {
  const certs = certificates(sweep);
  const where = installWhere(sweep);
  const domain = sweep.graph.domain.replace(/:\d+$/, '');
  return REASONS.flatMap((reason): TopologyProblem[] => {
    const hit = certs.filter((c) => c.check.reason === reason);
    if (!hit.length) return [];
    const first = hit[0]!.check.error ?? L(reason, reason);
    const more = hit.length - 1;
    return [
      {
        id: `tls:${reason}`,
        // 30 days out a warning; within 7 days an error, though clients still accept it: renewing cannot wait.
        severity: reason === 'expiring' ? 'warning' : 'error',
        subject: hit[0]!.nodeId ? { kind: 'node', id: hit[0]!.nodeId } : { kind: 'lb' },
        nodes: hit.flatMap((c) => (c.nodeId ? [c.nodeId] : [])),
        title: more ? L(`${first.en} (and ${more} more)`, `${first['zh-CN']}（另有 ${more} 处）`) : first,
        fix: tlsFix(reason, domain, where),
      },
    ];
  });
};

/**
 * Nodes presenting a different certificate than the others (harbor-facts §4.4: the same certificate on all nodes):
 * clients get one or the other depending on the node the load balancer picks.
 */
export const certificatesDiffer: Rule = (sweep) => {
  const { graph } = sweep;
  const byFingerprint = new Map<string, string[]>();
  for (const c of certificates(sweep)) if (c.nodeId && c.check.fingerprint) group(byFingerprint, c.check.fingerprint, c.nodeId);
  if (byFingerprint.size < 2) return [];
  const odd = outliers(byFingerprint, graph);
  const where = installWhere(sweep);
  return [
    {
      id: 'tls:differ',
      severity: 'error',
      subject: { kind: 'cluster' },
      nodes: odd,
      title: L(
        `${names(graph, odd)} present${odd.length === 1 ? 's' : ''} a different certificate than the other nodes`,
        `${names(graph, odd)} 提供的证书与其他节点不同`,
      ),
      fix: L(
        `Clients get one certificate or the other depending on the node the load balancer picks. Put the certificate and key ${where.en}.`,
        `客户端会因负载均衡选择的节点不同而得到不同的证书。请把证书与私钥${where['zh-CN']}。`,
      ),
    },
  ];
};
