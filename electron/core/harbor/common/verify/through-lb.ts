/** The registry through the load balancer, as docker clients use it: the /v2/ realm, then login, push and pull. */
import type { Profile } from '../../../../../shared/profile';
import { challenge, pullImage, pushTinyImage, realmRefused, type PushResult, type RegistryEndpoint } from '../../registry';
import { L } from '../context';
import { says, VERIFY_REPOSITORY, type Check, type VerifySpec } from './check';
import { publicUrl } from './endpoints';
import { realmFix } from './fixes';

/**
 * Through the load balancer, as docker clients do it: the /v2/ challenge and its realm, then login,
 * push and pull of a tiny image. A realm on another scheme, host or port than the public URL fails
 * with the fix, and nothing is pushed: the admin's login would go to it. The password is asked for
 * only when it is about to be used.
 */
export async function registryThroughLb(
  spec: VerifySpec,
  p: Profile,
  ep: RegistryEndpoint,
  adminPassword: () => string,
  tag: string,
  where: string,
): Promise<{ checks: Check[]; service: string; pushed?: PushResult }> {
  const expected = `${publicUrl(p)}/service/token`;
  let c: Awaited<ReturnType<typeof challenge>>;
  try {
    c = await challenge(ep);
  } catch (error) {
    const why = says(error);
    return {
      checks: [
        { id: 'realm', ok: false, message: L(`${where}: /v2/ did not answer (${why.en})`, `${where}：/v2/ 无应答（${why['zh-CN']}）`) },
      ],
      service: 'harbor-registry',
    };
  }
  const { realm } = c;
  const service = c.service ?? 'harbor-registry';
  const seen = L(
    `/v2/ answered HTTP ${c.status} with realm ${realm ?? '(none)'}; clients need ${expected}`,
    `/v2/ 返回 HTTP ${c.status}，realm 为 ${realm ?? '（无）'}；客户端需要 ${expected}`,
  );
  const elsewhere = realm ? realmRefused(ep.baseUrl, realm) : undefined;
  if (!realm || elsewhere) {
    const fix = realm
      ? realmFix(spec, p, realm)
      : L('hostname and protocol must be what clients use.', 'hostname 与协议必须与客户端使用的一致。');
    const refused = elsewhere
      ? L(`. ${elsewhere.localized.en}; nothing was pushed`, `。${elsewhere.localized['zh-CN']}；未推送任何内容`)
      : L('', '');
    return {
      checks: [
        {
          id: 'realm',
          ok: false,
          message: L(`${seen.en}${refused.en}. Fix: ${fix.en}`, `${seen['zh-CN']}${refused['zh-CN']}。修复方法：${fix['zh-CN']}`),
        },
      ],
      service,
    };
  }
  const checks: Check[] = [
    c.status === 401 && realm === expected
      ? { id: 'realm', ok: true, message: L(`/v2/ realm is ${realm}`, `/v2/ 的 realm 为 ${realm}`) }
      : {
          id: 'realm',
          ok: false,
          message: L(
            `${seen.en} (hostname and protocol must be what clients use)`,
            `${seen['zh-CN']}（hostname 与协议必须与客户端使用的一致）`,
          ),
        },
  ];
  const password = adminPassword();
  try {
    // The realm names the public host; requests still go to the load balancer.
    const pushed = await pushTinyImage(ep, realm, service, VERIFY_REPOSITORY, tag, 'admin', password);
    const pulled = await pullImage(ep, realm, service, VERIFY_REPOSITORY, tag, 'admin', password);
    checks.push(
      pulled === pushed.manifestDigest
        ? {
            id: 'push-pull',
            ok: true,
            message: L(
              `pushed and pulled ${VERIFY_REPOSITORY}:${tag} through the load balancer (${pushed.requests} requests)`,
              `经负载均衡推送并拉取了 ${VERIFY_REPOSITORY}:${tag}（${pushed.requests} 个请求）`,
            ),
          }
        : { id: 'push-pull', ok: false, message: L('the pulled manifest differs from the pushed one', '拉取的 manifest 与推送的不同') },
    );
    return { checks, service, pushed };
  } catch (error) {
    const why = says(error);
    checks.push({
      id: 'push-pull',
      ok: false,
      message: L(`login, push or pull through the load balancer failed: ${why.en}`, `经负载均衡登录、推送或拉取失败：${why['zh-CN']}`),
    });
    return { checks, service };
  }
}
