/**
 * Editing helpers for the profile draft the editor holds. Every helper returns a new draft and
 * leaves its argument alone, so React sees each change. No validation here: the core does that.
 */
import { CLOUD_PRODUCTS, type ProfileInput } from '../../../shared/profile/schema';

export type Draft = ProfileInput;
export type Path = readonly (string | number)[];
export type SectionId =
  'general' | 'harbor' | 'nodes' | 'loadBalancer' | 'access' | 'database' | 'clair' | 'redis' | 'oss' | 'cloud' | 'options';
type Node = Draft['nodes'][number];
type Installer = Draft['harbor']['installer'];

export const pathKey = (path: Path): string => path.join('.');

export function getAt(obj: unknown, path: Path): unknown {
  let o = obj;
  for (const k of path) {
    if (o === null || typeof o !== 'object') return undefined;
    o = (o as Record<string | number, unknown>)[k];
  }
  return o;
}

/**
 * Sets one value; `undefined` removes the key (optional fields must be absent, not empty). Copies
 * only the objects along the path, so untouched parts keep their identity (fields that did not
 * change do not re-render).
 */
export function setAt(draft: Draft, path: Path, value: unknown): Draft {
  const put = (o: unknown, i: number): unknown => {
    const base = o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>) : {};
    const next = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
    const k = path[i]!;
    if (i < path.length - 1) next[k] = put(base[k], i + 1);
    else if (value === undefined) delete next[k];
    else next[k] = value;
    return next;
  };
  return put(draft, 0) as Draft;
}

/** Optional text: empty means absent. */
export const optionalText = (value: string): string | undefined => (value.trim() === '' ? undefined : value);

function hex(bytes: number): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newNodeId(taken: readonly string[] = []): string {
  for (;;) {
    const id = `n-${hex(3)}`;
    if (!taken.includes(id)) return id;
  }
}

export function addNode(draft: Draft): Draft {
  const last = draft.nodes[draft.nodes.length - 1];
  const node: Node = {
    id: newNodeId(draft.nodes.map((n) => n.id)),
    host: '',
    port: last?.port ?? 22,
    user: last?.user ?? 'root',
    auth:
      last?.auth.kind === 'key'
        ? { kind: 'key', keyPath: last.auth.keyPath, passphrase: { set: false } }
        : last?.auth.kind === 'agent'
          ? { kind: 'agent' }
          : { kind: 'password', password: { set: false } },
    jumpHosts: [],
  };
  return { ...draft, nodes: [...draft.nodes, node] };
}

export function removeNode(draft: Draft, index: number): Draft {
  return { ...draft, nodes: draft.nodes.filter((_, i) => i !== index) };
}

export function moveNode(draft: Draft, index: number, delta: -1 | 1): Draft {
  const to = index + delta;
  if (to < 0 || to >= draft.nodes.length) return draft;
  const nodes = [...draft.nodes];
  [nodes[index], nodes[to]] = [nodes[to]!, nodes[index]!];
  return { ...draft, nodes };
}

export function setNodeAuthKind(draft: Draft, index: number, kind: Node['auth']['kind']): Draft {
  const auth: Node['auth'] =
    kind === 'password'
      ? { kind, password: { set: false } }
      : kind === 'key'
        ? { kind, keyPath: '', passphrase: { set: false } }
        : { kind };
  return setAt(draft, ['nodes', index, 'auth'], auth);
}

type Jump = NonNullable<Node['jumpHosts']>[number];
/** At most this many hops before a node (the schema's limit). */
export const MAX_JUMP_HOSTS = 4;

/**
 * Appends a hop in front of the node (the node is reached through every hop, first to last). Hops
 * are only added and removed at the end: their secrets are stored by position.
 */
export function addJumpHost(draft: Draft, index: number): Draft {
  const node = draft.nodes[index];
  const hops = node?.jumpHosts ?? [];
  if (!node || hops.length >= MAX_JUMP_HOSTS) return draft;
  const hop: Jump = {
    host: '',
    port: 22,
    user: node.user ?? 'root',
    auth: node.auth.kind === 'key' ? { kind: 'key', keyPath: node.auth.keyPath, passphrase: { set: false } } : { kind: 'agent' },
  };
  return setAt(draft, ['nodes', index, 'jumpHosts'], [...hops, hop]);
}

export function removeLastJumpHost(draft: Draft, index: number): Draft {
  const node = draft.nodes[index];
  const hops = node?.jumpHosts ?? [];
  if (!hops.length) return draft;
  return setAt(draft, ['nodes', index, 'jumpHosts'], hops.slice(0, -1));
}

export function setJumpAuthKind(draft: Draft, index: number, hop: number, kind: Jump['auth']['kind']): Draft {
  const auth: Jump['auth'] =
    kind === 'password'
      ? { kind, password: { set: false } }
      : kind === 'key'
        ? { kind, keyPath: '', passphrase: { set: false } }
        : { kind };
  return setAt(draft, ['nodes', index, 'jumpHosts', hop, 'auth'], auth);
}

export function setInstallerKind(draft: Draft, kind: Installer['kind']): Draft {
  const installer: Installer = kind === 'local' ? { kind, path: '' } : kind === 'url' ? { kind, url: '' } : { kind, object: '' };
  return setAt(draft, ['harbor', 'installer'], installer);
}

export function setLoadBalancerKind(draft: Draft, kind: Draft['loadBalancer']['kind']): Draft {
  const lb: Draft['loadBalancer'] =
    kind === 'clb' ? { kind, listener: 'tcp' } : kind === 'alb' ? { kind } : { kind, address: '', software: 'haproxy' };
  return { ...draft, loadBalancer: lb };
}

export function setRedisAuth(draft: Draft, auth: NonNullable<Draft['redis']['auth']>): Draft {
  const next = setAt(draft, ['redis', 'auth'], auth);
  return auth === 'account' || auth === 'acl' ? next : setAt(next, ['redis', 'username'], undefined);
}

export function setCloud(draft: Draft, on: boolean): Draft {
  if (!on) return setAt(draft, ['cloud'], undefined);
  // The region the OSS bucket is in is the usual answer (oss-cn-hangzhou → cn-hangzhou).
  const region = (draft.oss.region ?? '').replace(/^oss-/, '');
  return { ...draft, cloud: { region, accessKeyId: '', accessKeySecret: { set: false }, endpoints: {} } };
}

export function setClair(draft: Draft, on: boolean): Draft {
  if (!on) return setAt(draft, ['clair'], undefined);
  return { ...draft, clair: { host: '', port: 5432, user: '', password: { set: false }, database: 'postgres' } };
}

/** Whether two drafts differ (what the operator would lose). */
export const sameDraft = (a: Draft, b: Draft): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every section, in the order an operator fills them in. */
const SECTION_ORDER: readonly SectionId[] = [
  'general',
  'harbor',
  'nodes',
  'loadBalancer',
  'access',
  'database',
  'clair',
  'redis',
  'oss',
  'cloud',
  'options',
];

/** Which section shows the issue of a path. */
export function sectionOfPath(path: string): SectionId | null {
  const head = path.split('.')[0] ?? '';
  if (head === 'name' || head === 'description') return 'general';
  const known: readonly SectionId[] = SECTION_ORDER.filter((id) => id !== 'general');
  return (known as readonly string[]).includes(head) ? (head as SectionId) : null;
}

/** The sections the editor shows for this draft, in the order an operator fills them in. */
export function visibleSections(d: Draft): SectionId[] {
  return SECTION_ORDER.filter((s) => s !== 'clair' || d.harbor.generation === 'v1' || d.clair !== undefined);
}

/** Which section shows a piece of advice (by its topic). */
export function sectionOfAdvice(topic: string): SectionId | null {
  if (topic === 'v1-requirements' || topic === 'v1-eol') return 'harbor';
  if (topic === 'v1-registry-db' || topic === 'v2-database') return 'database';
  if (topic.endsWith('tls-at-lb')) return 'access';
  if (topic.startsWith('oss-')) return 'oss';
  if (topic.startsWith('slb-')) return 'loadBalancer';
  return null;
}

/** Every field path the editor shows for this draft: issues elsewhere go to the summary. */
export function editorPaths(d: Draft): Set<string> {
  const paths = [
    'name',
    'description',
    'harbor.version',
    'harbor.adminPassword',
    'harbor.installer',
    'access.domain',
    'access.protocol',
    'loadBalancer.kind',
  ];
  const inst = d.harbor.installer;
  if (inst.kind === 'local') paths.push('harbor.installer.path');
  else if (inst.kind === 'url') paths.push('harbor.installer.url', 'harbor.installer.sha256');
  else paths.push('harbor.installer.object', 'harbor.installer.bucket', 'harbor.installer.sha256');
  d.nodes.forEach((n, i) => {
    for (const f of ['name', 'host', 'port', 'user', 'auth', 'auth.kind', 'hostKeyFingerprint', 'privateAddress'])
      paths.push(`nodes.${i}.${f}`);
    if (n.auth.kind === 'password') paths.push(`nodes.${i}.auth.password`);
    if (n.auth.kind === 'key') paths.push(`nodes.${i}.auth.keyPath`, `nodes.${i}.auth.passphrase`);
    (n.jumpHosts ?? []).forEach((j, k) => {
      const at = `nodes.${i}.jumpHosts.${k}`;
      for (const f of ['host', 'port', 'user', 'auth', 'auth.kind', 'hostKeyFingerprint']) paths.push(`${at}.${f}`);
      if (j.auth.kind === 'password') paths.push(`${at}.auth.password`);
      if (j.auth.kind === 'key') paths.push(`${at}.auth.keyPath`, `${at}.auth.passphrase`);
    });
  });
  if (d.loadBalancer.kind === 'clb')
    paths.push('loadBalancer.instanceId', 'loadBalancer.publicAddress', 'loadBalancer.privateAddress', 'loadBalancer.listener');
  else if (d.loadBalancer.kind === 'alb') paths.push('loadBalancer.instanceId', 'loadBalancer.serverGroupId', 'loadBalancer.dnsName');
  else paths.push('loadBalancer.address', 'loadBalancer.software');
  if (d.access.protocol === 'https') {
    paths.push('access.tlsTermination', 'access.certificate');
    if ((d.access.tlsTermination ?? 'nodes') === 'nodes') paths.push('access.privateKey');
  }
  paths.push(
    'database.engine',
    'database.host',
    'database.port',
    'database.admin.user',
    'database.admin.password',
    'database.harbor.user',
    'database.harbor.password',
    'database.instanceId',
  );
  if (d.database.engine === 'postgresql') paths.push('database.harbor.database', 'database.harbor.sslMode');
  if (d.clair) for (const f of ['host', 'port', 'user', 'password', 'database']) paths.push(`clair.${f}`);
  paths.push('redis.host', 'redis.port', 'redis.auth', 'redis.dbIndexes.registry', 'redis.dbIndexes.jobservice', 'redis.instanceId');
  if (d.cloud) {
    paths.push('cloud.region', 'cloud.accessKeyId', 'cloud.accessKeySecret', 'cloud.roleArn', 'cloud.caCertificate');
    for (const product of CLOUD_PRODUCTS) paths.push(`cloud.endpoints.${product}`);
  }
  if (d.harbor.generation === 'v2') paths.push('redis.dbIndexes.trivy');
  if (d.redis.auth === 'account' || d.redis.auth === 'acl') paths.push('redis.username');
  if (d.redis.auth !== 'none') paths.push('redis.password');
  for (const f of [
    'region',
    'bucket',
    'internal',
    'rootDirectory',
    'accessKeyId',
    'accessKeySecret',
    'encrypt',
    'secure',
    'redirectDisabled',
    'endpoint',
  ])
    paths.push(`oss.${f}`);
  paths.push('options.scanner', 'options.jobWorkers', 'options.dataVolume');
  return new Set(paths);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const isSecret = (v: Record<string, unknown>): boolean => {
  const keys = Object.keys(v);
  return keys.length === 1 && ['set', 'value', 'staged'].includes(keys[0]!);
};

function overlay(base: unknown, top: unknown): unknown {
  if (top === undefined) return structuredClone(base);
  if (!isPlainObject(base) || !isPlainObject(top)) return structuredClone(top);
  // A secret ({ set } / { value } / { staged }) is one value, never a mix of two.
  if (isSecret(top) || isSecret(base)) return structuredClone(top);
  // A different variant of a union (another installer, engine or auth kind) replaces the whole object.
  for (const tag of ['kind', 'engine']) if (tag in top && base[tag] !== top[tag]) return structuredClone(top);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(top)) out[k] = overlay(base[k], v);
  return out;
}

/**
 * An imported draft may be incomplete (harbor.cfg has no nodes, no load balancer): lays it over a
 * template of its generation so the form has every section, keeping every value the import found.
 */
export function completeDraft(template: Draft, imported: unknown): Draft {
  const draft = overlay(template, imported) as Draft;
  const nodeTemplate = template.nodes[0];
  if (nodeTemplate && Array.isArray(draft.nodes)) {
    draft.nodes = draft.nodes.length
      ? draft.nodes.map((n) => overlay({ ...nodeTemplate, id: newNodeId() }, n) as Draft['nodes'][number])
      : [structuredClone(nodeTemplate)];
  }
  return draft;
}

/** The generation an imported draft claims (v2 when it says nothing). */
export function draftGeneration(imported: unknown): 'v1' | 'v2' {
  return getAt(imported, ['harbor', 'generation']) === 'v1' ? 'v1' : 'v2';
}
