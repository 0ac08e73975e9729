/** What the operator is told to do when verification fails. */
import type { Localized } from '../../../../../shared/i18n/localized';
import type { Profile } from '../../../../../shared/profile';
import { L } from '../context';
import type { VerifySpec } from './check';
import { publicUrl } from './endpoints';

export function knownFixes(spec: VerifySpec, p: Profile): Localized[] {
  const fixes: Localized[] = [];
  if (spec.generation === 'v1' && p.access.protocol === 'https' && p.access.tlsTermination === 'lb') {
    fixes.push(
      L(
        'TLS ends at the load balancer: Harbor 1.5 answers with http:// redirects unless the registry has relativeurls: true (the config step sets it; re-run it if you edited config_ha.yml by hand).',
        'TLS 在负载均衡终止：除非 registry 配置了 relativeurls: true，否则 Harbor 1.5 会返回 http:// 的跳转（配置步骤会设置它；若手工改过 config_ha.yml，请重新运行该步骤）。',
      ),
    );
  }
  if (spec.generation === 'v2' && p.access.protocol === 'https' && p.access.tlsTermination === 'lb') {
    fixes.push(
      L(
        'TLS ends at the load balancer: the SLB listener must send X-Forwarded-Proto: https, or Harbor builds http:// URLs and logins fail.',
        'TLS 在负载均衡终止：SLB 监听必须添加 X-Forwarded-Proto: https 头，否则 Harbor 生成 http:// 地址，登录会失败。',
      ),
    );
  }
  fixes.push(
    spec.generation === 'v1'
      ? L(
          "On a failing node: cd /opt/harbor && ./prepare --ha, then docker-compose down and docker-compose up -d (the runbook's fix).",
          '在出问题的节点上：cd /opt/harbor && ./prepare --ha，然后 docker-compose down，再 docker-compose up -d（手册中的修复方法）。',
        )
      : L(
          'On a failing node: cd /opt/harbor && ./prepare, then docker compose down and docker compose up -d; then run this deployment again so the shared secrets and CSRF key are re-synchronised.',
          '在出问题的节点上：cd /opt/harbor && ./prepare，然后 docker compose down，再 docker compose up -d；之后重新运行本部署，以重新同步共享密钥和 CSRF 密钥。',
        ),
  );
  fixes.push(
    L(
      "A 401 on push through the load balancer while each node works alone means the nodes do not share the token keys: run the install step again (it copies node 1's keys).",
      '单个节点正常、经负载均衡推送却返回 401，说明各节点未共享令牌密钥：请重新运行安装步骤（会复制节点 1 的密钥）。',
    ),
  );
  return fixes;
}

/** What clients need to be told when the realm is elsewhere than the registry. */
export function realmFix(spec: VerifySpec, p: Profile, realm: string): Localized {
  let seen: URL | null = null;
  try {
    seen = new URL(realm);
  } catch {
    seen = null;
  }
  const want = new URL(publicUrl(p));
  if (seen && seen.protocol !== want.protocol && want.protocol === 'https:') {
    return spec.generation === 'v1' && p.access.tlsTermination === 'lb'
      ? L(
          `Harbor 1.x with TLS ending at the load balancer serves http on the nodes (ui_url_protocol = http) but must hand clients https URLs: the registry's token realm (auth.token.realm in common/config/registry/config.yml) and the adminserver's EXT_ENDPOINT must both start with ${publicUrl(p)}. Run the configuration step again, which writes both, or set them on every node and restart Harbor (docker-compose down, docker-compose up -d).`,
          `TLS 在负载均衡终止时，Harbor 1.x 的节点提供 http（ui_url_protocol = http），但交给客户端的地址必须是 https：registry 的令牌 realm（common/config/registry/config.yml 中的 auth.token.realm）与 adminserver 的 EXT_ENDPOINT 都必须以 ${publicUrl(p)} 开头。请重新运行配置步骤（它会写入这两项），或在每个节点上手工设置后重启 Harbor（docker-compose down，再 docker-compose up -d）。`,
        )
      : L(
          'The load balancer ends TLS without telling Harbor: add the header X-Forwarded-Proto: https on its HTTPS listener (Alibaba Cloud SLB: the listener\'s "X-Forwarded-Proto" option; HAProxy: http-request set-header X-Forwarded-Proto https).',
          '负载均衡终止了 TLS 却未告知 Harbor：请在其 HTTPS 监听上添加 X-Forwarded-Proto: https 头（阿里云 SLB：监听的“X-Forwarded-Proto”选项；HAProxy：http-request set-header X-Forwarded-Proto https）。',
        );
  }
  return L(
    `Harbor names itself ${seen?.origin ?? realm}, but clients use ${publicUrl(p)}: Harbor's hostname${spec.generation === 'v2' ? ' and external_url' : ''} must give exactly that scheme, name and port; run the configuration step again.`,
    `Harbor 的自称地址为 ${seen?.origin ?? realm}，而客户端使用 ${publicUrl(p)}：Harbor 的 hostname${spec.generation === 'v2' ? '与 external_url' : ''}必须给出完全相同的协议、名称与端口；请重新运行配置步骤。`,
  );
}
