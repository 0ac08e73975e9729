/**
 * Harbor's own answer about its health, judged for the health sweep (on a node, or through the load balancer): 2.x
 * `/api/v2.0/health` read by its body, 1.x `/api/ping` and `/api/systeminfo`. Which components stand for which shared
 * service is here too, next to the answer that names them.
 */
import type { HarborComponent, ServiceId } from '../../../shared/api/contracts/topology';
import { L } from '../../../shared/i18n/localized';
import type { Generation } from '../../../shared/profile';
import type { Get, HealthVerdict } from '../health/kind';
import { parseV2Health } from './node';

/** Harbor 2.x health components and the shared service each depends on. */
const COMPONENT_SERVICE: Readonly<Record<string, ServiceId>> = { database: 'database', redis: 'redis', registry: 'oss' };

export function componentService(component: string): ServiceId | undefined {
  return Object.hasOwn(COMPONENT_SERVICE, component) ? COMPONENT_SERVICE[component] : undefined;
}

/** Harbor's health through `get`, judged; `domain` is what clients type. A request that fails throws. */
export async function harborHealth(generation: Generation, domain: string, get: Get, where: string): Promise<HealthVerdict> {
  if (generation === 'v2') {
    const r = await get('/api/v2.0/health');
    const h = r.status === 200 ? parseV2Health(r.body.toString('utf8')) : undefined;
    if (!h) {
      return {
        status: 'fail',
        detail: `HTTP ${r.status}`,
        error: L(
          `${where}: /api/v2.0/health answered HTTP ${r.status}${r.status >= 300 && r.status < 400 ? ` (redirect to ${String(r.headers.location ?? '?')})` : ''}`,
          `${where}：/api/v2.0/health 返回 HTTP ${r.status}`,
        ),
      };
    }
    // Always HTTP 200: the body decides (harbor-facts §4.6).
    const { components } = h;
    if (h.healthy) return { status: 'ok', detail: 'healthy', components };
    return {
      status: 'fail',
      detail: 'unhealthy',
      components,
      error: L(`${where}: Harbor is unhealthy: ${h.detail}`, `${where}：Harbor 不健康：${h.detail}`),
    };
  }
  const [ping, info] = await Promise.all([get('/api/ping'), get('/api/systeminfo')]);
  const pong = ping.status === 200 && /Pong/.test(ping.body.toString('utf8'));
  if (!pong) {
    return {
      status: 'fail',
      detail: `ping HTTP ${ping.status}`,
      error: L(`${where}: /api/ping answered HTTP ${ping.status}, not "Pong"`, `${where}：/api/ping 返回 HTTP ${ping.status}，而非 "Pong"`),
    };
  }
  let sys: { registry_url?: string; harbor_version?: string } | undefined;
  try {
    sys = JSON.parse(info.body.toString('utf8')) as typeof sys;
  } catch {
    sys = undefined;
  }
  const components: HarborComponent[] = [{ name: 'ui (ping)', status: 'healthy' }];
  if (info.status !== 200 || !sys?.registry_url) {
    components.push({ name: 'adminserver (systeminfo)', status: 'unhealthy', error: `HTTP ${info.status}` });
    return {
      status: 'fail',
      detail: `systeminfo HTTP ${info.status}`,
      components,
      error: L(
        `${where}: /api/systeminfo answered HTTP ${info.status}: the configuration cannot be read from the database`,
        `${where}：/api/systeminfo 返回 HTTP ${info.status}：无法从数据库读取配置`,
      ),
    };
  }
  components.push({ name: 'adminserver (systeminfo)', status: 'healthy' });
  const version = sys.harbor_version;
  if (sys.registry_url !== domain) {
    return {
      status: 'warn',
      detail: `registry_url ${sys.registry_url}`,
      components,
      ...(version ? { version } : {}),
      error: L(
        `${where}: Harbor calls itself ${sys.registry_url}, but clients use ${domain}`,
        `${where}：Harbor 的地址为 ${sys.registry_url}，而客户端使用 ${domain}`,
      ),
    };
  }
  return { status: 'ok', detail: `Pong, ${version ?? 'version ?'}`, components, ...(version ? { version } : {}) };
}
