/**
 * The form's "Test" buttons: its nodes' SSH connections and its services as a node reaches them, before the profile is
 * saved or even complete. Each result names the field its cause points at, so the form can mark it.
 */
import type { DraftNodeTest, DraftServiceCheck, DraftServiceTest } from '../../../shared/api/contracts/draft';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { probeMysql, probeOss, probePostgres, probeRedis, type ProbeResult } from '../probe/probes';
import { SshError, type SshErrorCode } from '../ssh/errors';
import type { SshPool } from '../ssh/pool';
import { testConnection } from '../ssh/test-connection';
import type { Vault } from '../vault/vault';
import { formNode, formSection } from './form-sections';
import type { SecretStaging } from './staging';
import type { ProfileStore } from './store';

type Held = { store: ProfileStore; vault: Vault; staging: SecretStaging };

/** Which field of node `index` an SSH failure points at. */
function sshField(code: SshErrorCode, index: number, auth: 'password' | 'key' | 'agent'): string | undefined {
  const at = `nodes.${index}`;
  if (code === 'dns' || code === 'unreachable' || code === 'timeout') return `${at}.host`;
  if (code === 'refused') return `${at}.port`;
  if (code === 'auth') return auth === 'password' ? `${at}.auth.password` : auth === 'key' ? `${at}.auth.keyPath` : `${at}.user`;
  if (code === 'key_file') return `${at}.auth.keyPath`;
  if (code === 'host_key_profile_mismatch') return `${at}.hostKeyFingerprint`;
  return undefined;
}

function nodeIndex(raw: unknown, nodeId: string): number {
  const nodes = (raw as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes) ? nodes.findIndex((n) => (n as { id?: unknown } | null)?.id === nodeId) : -1;
}

export class FormTests {
  constructor(
    private readonly held: Held,
    private readonly pool: SshPool,
  ) {}

  /** Every node at once; each answers for itself (one unknown host key does not hide another's failure). */
  testNodes(raw: unknown, nodeIds: readonly string[]): Promise<DraftNodeTest[]> {
    return Promise.all(nodeIds.map((id) => this.#testNode(raw, id)));
  }

  async #testNode(raw: unknown, nodeId: string): Promise<DraftNodeTest> {
    const index = nodeIndex(raw, nodeId);
    let label = `node ${index + 1}`;
    try {
      const node = formNode(this.held, raw, nodeId);
      label = node.label;
      const profileId = String((raw as { id: unknown }).id);
      const result = await testConnection(this.pool, () => this.pool.openTarget(node.target), { profileId });
      return { ...result, nodeId };
    } catch (error) {
      if (error instanceof SshError) {
        const auth = formNode(this.held, raw, nodeId).node.auth.kind;
        const field = sshField(error.code, index, auth);
        return { status: 'failed', nodeId, label, message: error.localized, ...(field ? { field } : {}) };
      }
      if (error instanceof ApiError) {
        const field = error.issues?.[0]?.path;
        return { status: 'failed', nodeId, label, message: error.localized, ...(field ? { field } : {}) };
      }
      throw error;
    }
  }

  /** One service, from one node of the form. */
  async testService(raw: unknown, service: 'database' | 'redis' | 'oss', fromNode: string): Promise<DraftServiceTest> {
    // Both parts must be filled in before anything connects: the section first, it is what the operator is on.
    const part = this.#probesOf(raw, service);
    const node = formNode(this.held, raw, fromNode);
    const connection = await this.pool.openTarget(node.target);
    try {
      const checks = await Promise.all(part.map((probe) => probe(connection.client, node.label)));
      return { from: node.label, checks };
    } finally {
      connection.close();
    }
  }

  #probesOf(
    raw: unknown,
    service: 'database' | 'redis' | 'oss',
  ): ((client: Parameters<typeof probeRedis>[0], from: string) => Promise<DraftServiceCheck>)[] {
    const required = (secret: string | undefined, path: string): string => {
      if (secret !== undefined) return secret;
      throw new ApiError({
        code: 'invalid_input',
        message: L('Enter the password first (or unlock the vault).', '请先输入密码（或解锁保险库）。'),
        issues: [{ path, message: L('enter it to test the login', '请输入后再测试登录') }],
      });
    };
    const check = (r: ProbeResult, field: string | undefined): DraftServiceCheck => ({
      ok: r.ok,
      target: r.target,
      latencyMs: r.latencyMs,
      ...(r.detail ? { detail: r.detail } : {}),
      ...(r.problem ? { problem: r.problem } : {}),
      ...(!r.ok && field ? { field } : {}),
    });
    if (service === 'database') {
      const { value: db, secret } = formSection(this.held, raw, 'database');
      const logins = [
        { user: db.admin.user, password: required(secret('database.admin.password'), 'database.admin.password'), field: 'database.admin' },
      ];
      if (db.harbor.user !== db.admin.user)
        logins.push({
          user: db.harbor.user,
          password: required(secret('database.harbor.password'), 'database.harbor.password'),
          field: 'database.harbor',
        });
      return logins.map((login) => async (client, from) => {
        const target = { host: db.host, port: db.port, user: login.user, password: login.password };
        const r = db.engine === 'mysql' ? await probeMysql(client, from, target) : await probePostgres(client, from, target);
        return check(r, r.problem && /refused the login/.test(r.problem.en) ? `${login.field}.password` : 'database.port');
      });
    }
    if (service === 'redis') {
      const { value: r, secret } = formSection(this.held, raw, 'redis');
      const password = r.auth === 'none' ? undefined : required(secret('redis.password'), 'redis.password');
      return [
        async (client, from) => {
          const x = await probeRedis(client, from, {
            host: r.host,
            port: r.port,
            auth: r.auth,
            ...(r.username ? { username: r.username } : {}),
            ...(password !== undefined ? { password } : {}),
          });
          return check(x, x.problem && /password/i.test(x.problem.en) ? 'redis.password' : 'redis.port');
        },
      ];
    }
    const { value: o, secret } = formSection(this.held, raw, 'oss');
    const accessKeySecret = required(secret('oss.accessKeySecret'), 'oss.accessKeySecret');
    return [
      async (client, from) => {
        const x = await probeOss(client, from, {
          region: o.region,
          bucket: o.bucket,
          internal: o.internal,
          secure: o.secure,
          accessKeyId: o.accessKeyId,
          accessKeySecret,
          rootDirectory: o.rootDirectory,
          ...(o.endpoint ? { endpoint: o.endpoint } : {}),
        });
        const field = !x.problem
          ? undefined
          : /bucket .* does not exist/i.test(x.problem.en)
            ? 'oss.bucket'
            : /AccessKey/i.test(x.problem.en)
              ? 'oss.accessKeySecret'
              : o.endpoint
                ? 'oss.endpoint'
                : 'oss.region';
        return check(x, field);
      },
    ];
  }
}
