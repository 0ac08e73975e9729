/**
 * Where a node keeps its TLS certificate and key, per generation, as Harbor's own prepare lays them out (the release
 * files under make/): the copies the deployment writes (and prepare reads), and the copies the proxy serves.
 */
import type { Profile } from '../../../../shared/profile';
import { HARBOR_DIR } from '../common/paths';
import { HARBOR_UID } from '../v2/steps/context';

export interface TlsFile {
  readonly path: string;
  readonly what: 'certificate' | 'key';
  /** The deployment's own modes: the certificate world-readable, the key not. */
  readonly mode: number;
  /** Owner the proxy needs (2.x's nginx runs as 10000), when not root. */
  readonly owner?: string;
}

const pair = (dir: string, owner?: string, certMode = 0o644): TlsFile[] => [
  { path: `${dir}/server.crt`, what: 'certificate', mode: certMode, ...(owner ? { owner } : {}) },
  { path: `${dir}/server.key`, what: 'key', mode: 0o600, ...(owner ? { owner } : {}) },
];

/**
 * Every copy on a node, in the order they are written (the proxy's copies last, so a cut between leaves the files the
 * next deployment reads already new):
 * - both: `<data>/cert/server.{crt,key}`, what harbor.yml / harbor.cfg names (the deployment's config step writes them);
 * - 2.x: `<data>/secret/cert/`, where prepare copies them (utils/nginx.py prepare_nginx_certs: mode 600, 10000:10000),
 *   mounted into the nginx container as /etc/cert;
 * - 1.5: `/opt/harbor/ha/`, which prepare's prepare_ha copies over `<data>/cert` on every run (so an old copy there
 *   would bring the old certificate back), and `common/config/nginx/cert/`, what nginx serves (mounted as /etc/nginx).
 */
export function tlsFiles(p: Profile): TlsFile[] {
  const data = `${p.options.dataVolume}/cert`;
  return p.harbor.generation === 'v2'
    ? [...pair(data), ...pair(`${p.options.dataVolume}/secret/cert`, HARBOR_UID, 0o600)]
    : [...pair(data), ...pair(`${HARBOR_DIR}/ha`), ...pair(`${HARBOR_DIR}/common/config/nginx/cert`)];
}
