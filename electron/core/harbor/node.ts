/**
 * What a Harbor HA node is, in one place: the containers it runs, the files every node must hold identically, and
 * how `docker ps` and Harbor's own health answer read. The deployment steps, their verification and the topology's
 * health sweep all ask here, so they cannot disagree (they did: 1.x topology compared only secretkey, so a node with a
 * token key of its own looked healthy).
 */
import { posix } from 'node:path';
import type { ContainerState, HarborComponent } from '../../../shared/api/contracts/topology';
import { type Localized, L } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import { CORE_ENV, HARBOR_DIR } from './common/paths';

/** A file every node must hold byte for byte. */
export interface KeyFile {
  readonly path: string;
  readonly what: Localized;
}

export type SharedSecret = 'secretkey' | 'privateKey' | 'rootCrt';

const dataVolume = (p: Profile) => p.options.dataVolume.replace(/\/+$/, '') || '/';
const clairOn = (p: Profile) => p.options.scanner === 'clair' && !!p.clair;
const trivyOn = (p: Profile) => p.options.scanner === 'trivy';

/** Harbor's proxy: every request to a node passes it, so with it down Harbor does not answer though the rest may run. */
export const PROXY_CONTAINER = 'nginx';

/** The containers `install.sh --ha` starts on 1.x (the HA compose file has no database or redis). */
export function v1Containers(p: Profile): string[] {
  return [
    'harbor-log',
    'registry',
    'harbor-adminserver',
    'harbor-ui',
    'harbor-jobservice',
    PROXY_CONTAINER,
    ...(clairOn(p) ? ['clair'] : []),
  ];
}

/** The containers 2.x's install.sh starts with an external database and Redis (no harbor-db, no redis). */
export function v2Containers(p: Profile): string[] {
  return [
    'harbor-log',
    'registry',
    'registryctl',
    'harbor-core',
    'harbor-portal',
    'harbor-jobservice',
    PROXY_CONTAINER,
    ...(trivyOn(p) ? ['trivy-adapter'] : []),
  ];
}

/** How the generation's install.sh runs compose: 1.x the standalone docker-compose binary, 2.x the compose plugin. */
export function composeCommand(p: Profile): string[] {
  return p.harbor.generation === 'v1' ? ['docker-compose'] : ['docker', 'compose'];
}

/** The containers a healthy node of this profile runs. */
export function harborContainers(p: Profile): string[] {
  return p.harbor.generation === 'v1' ? v1Containers(p) : v2Containers(p);
}

/** Containers that mean the node uses its own database or Redis instead of the shared ones. */
export const LOCAL_STATE_CONTAINERS = ['harbor-db', 'redis', 'clair-db'];

/**
 * 1.x: the files Harbor uses, where prepare put them: the token key pair in common/config (copied from ha/ by
 * `prepare --ha`) and the secret key in the data volume.
 */
export function v1KeyFiles(p: Profile): KeyFile[] {
  return [
    { path: `${HARBOR_DIR}/common/config/ui/private_key.pem`, what: L('token signing key', '令牌签名私钥') },
    { path: `${HARBOR_DIR}/common/config/registry/root.crt`, what: L('token certificate', '令牌证书') },
    { path: posix.join(dataVolume(p), 'secretkey'), what: L('secret key (encrypts stored passwords)', 'secretkey（加密存储的密码）') },
  ];
}

/** 2.x: the files every node must have identical (facts §4.4), under the data volume. */
export function v2SecretFiles(p: Profile): (KeyFile & { id: SharedSecret })[] {
  const dv = dataVolume(p);
  return [
    {
      id: 'secretkey',
      path: posix.join(dv, 'secret/keys/secretkey'),
      what: L('secret key (encrypts passwords stored in the database)', 'secretkey（加密数据库中存储的密码）'),
    },
    { id: 'privateKey', path: posix.join(dv, 'secret/core/private_key.pem'), what: L('token signing key', '令牌签名私钥') },
    { id: 'rootCrt', path: posix.join(dv, 'secret/registry/root.crt'), what: L('token certificate', '令牌证书') },
  ];
}

/** The files every node of this profile must hold identically (token key pair, secret key). */
export function sharedKeyFiles(p: Profile): KeyFile[] {
  return p.harbor.generation === 'v1' ? v1KeyFiles(p) : v2SecretFiles(p);
}

/** 2.x: the line of core's env that holds the key signing the portal's CSRF tokens (prepare renders a random one on every install). */
export const V2_CSRF_KEY = { path: CORE_ENV, prefix: 'CSRF_KEY=' } as const;

/** Harbor's containers log here (through the log container's syslog). */
export const HARBOR_LOG_DIR = '/var/log/harbor';

/** Whether TLS ends on the nodes (each serves https with the profile's certificate) rather than at the load balancer. */
export function tlsOnNodes(p: Profile): boolean {
  return p.access.protocol === 'https' && p.access.tlsTermination === 'nodes';
}

/** Where a node serves Harbor: https on 443 when TLS ends on the nodes, else http on 80 (behind a load balancer that ends TLS). */
export function nodeEndpoint(p: Profile): { scheme: 'http' | 'https'; port: number } {
  return tlsOnNodes(p) ? { scheme: 'https', port: 443 } : { scheme: 'http', port: 80 };
}

/** `docker ps` Status → what it means for a node. */
export function containerState(status: string): ContainerState['state'] {
  if (/^Up\b/.test(status)) return /\(unhealthy\)/.test(status) ? 'unhealthy' : 'running';
  if (/^Restarting\b/.test(status)) return 'restarting';
  if (/^(Exited|Created|Dead)\b/.test(status)) return 'exited';
  return 'other';
}

/** The command every reader of containers runs, and its format. */
export const DOCKER_PS = ['docker', 'ps', '-a', '--format', '{{.Names}}\t{{.Image}}\t{{.Status}}'] as const;

/** {@link DOCKER_PS} lines; lines of another shape are left out. */
export function parseDockerPs(text: string): ContainerState[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean)
    .flatMap((l) => {
      const [name, image, status] = l.split('\t');
      if (!name || image === undefined || status === undefined) return [];
      return [{ name: name.trim(), image: image.trim(), status: status.trim(), state: containerState(status.trim()) }];
    });
}

/** Harbor 2.x's `/api/v2.0/health` body (its HTTP status is always 200: the body decides). */
export interface V2Health {
  readonly healthy: boolean;
  readonly components: HarborComponent[];
  /** The unhealthy components, e.g. `redis unhealthy (dial tcp …)`, or what was wrong with the answer. */
  readonly detail: string;
}

/** The health answer in `body`, or undefined when it is none (not JSON, no overall status: an error page). */
export function parseV2Health(body: string): V2Health | undefined {
  let h: { status?: unknown; components?: unknown } | null = null;
  try {
    h = JSON.parse(body) as { status?: unknown; components?: unknown };
  } catch {
    h = null;
  }
  if (!h || typeof h !== 'object' || typeof h.status !== 'string') return undefined;
  const raw = Array.isArray(h.components) ? (h.components as Array<Record<string, unknown>>) : [];
  const components: HarborComponent[] = raw.map((c) => ({
    name: String(c.name),
    status: String(c.status),
    ...(c.error ? { error: typeof c.error === 'string' ? c.error : JSON.stringify(c.error) } : {}),
  }));
  const bad = components.filter((c) => c.status !== 'healthy');
  const healthy = h.status === 'healthy' && bad.length === 0;
  return {
    healthy,
    components,
    detail: healthy
      ? 'healthy'
      : bad.map((c) => `${c.name} ${c.status}${c.error ? ` (${c.error})` : ''}`).join(', ') || `status ${String(h.status)}`,
  };
}
