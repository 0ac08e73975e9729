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
import { createRole, createRoleSqlShown, roleExists } from './harbor-account';
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

/** A secret the form must hold before it is used: refused naming its field when absent (or the vault is locked). */
function required(secret: string | undefined, path: string): string {
  if (secret !== undefined) return secret;
  throw new ApiError({
    code: 'invalid_input',
    message: L('Enter the password first (or unlock the vault).', '请先输入密码（或解锁保险库）。'),
    issues: [{ path, message: L('enter it first', '请先输入') }],
  });
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
      const account = service === 'database' ? await this.#missingAccount(raw, checks, connection.client, node.label) : undefined;
      return { from: node.label, checks, ...(account ? { account } : {}) };
    } finally {
      connection.close();
    }
  }

  /**
   * The Harbor account on PostgreSQL, when the admin logged in, Harbor's login was refused and the role does not exist:
   * what the form offers to create.
   */
  async #missingAccount(
    raw: unknown,
    checks: readonly DraftServiceCheck[],
    client: Parameters<typeof roleExists>[0],
    from: string,
  ): Promise<DraftServiceTest['account']> {
    const { value: db, secret } = formSection(this.held, raw, 'database');
    if (db.engine !== 'postgresql' || db.harbor.user === db.admin.user) return undefined;
    const [admin, harbor] = checks;
    if (!admin?.ok || harbor?.ok !== false || harbor.field !== 'database.harbor.password') return undefined;
    const password = secret('database.admin.password');
    if (password === undefined) return undefined;
    const exists = await roleExists(client, from, { host: db.host, port: db.port, user: db.admin.user, password }, db.harbor.user);
    return exists ? undefined : { user: db.harbor.user, host: db.host, sql: createRoleSqlShown(db.harbor.user) };
  }

  /** Creates the missing Harbor account with the admin account, from one node; recorded in the audit log. */
  async createHarborAccount(raw: unknown, fromNode: string): Promise<void> {
    const { value: db, secret } = formSection(this.held, raw, 'database');
    if (db.engine !== 'postgresql') {
      throw new ApiError({
        code: 'invalid_input',
        message: L(
          'Only the PostgreSQL account of Harbor 2.x is created here; create the MySQL account in the RDS console.',
          '这里只创建 Harbor 2.x 的 PostgreSQL 账号；MySQL 账号请在 RDS 控制台创建。',
        ),
      });
    }
    const admin = {
      host: db.host,
      port: db.port,
      user: db.admin.user,
      password: required(secret('database.admin.password'), 'database.admin.password'),
    };
    const harborPassword = required(secret('database.harbor.password'), 'database.harbor.password');
    const node = formNode(this.held, raw, fromNode);
    const connection = await this.pool.openTarget(node.target);
    const started = Date.now();
    let ok = false;
    try {
      if (await roleExists(connection.client, node.label, admin, db.harbor.user)) {
        throw new ApiError({
          code: 'conflict',
          message: L(
            `The account "${db.harbor.user}" exists on ${db.host} already: check its password instead.`,
            `账号“${db.harbor.user}”在 ${db.host} 上已存在：请检查其密码。`,
          ),
        });
      }
      await createRole(connection.client, node.label, admin, db.harbor.user, harborPassword);
      ok = true;
    } finally {
      connection.close();
      this.pool.recordElsewhere({
        time: new Date(started).toISOString(),
        profileId: String((raw as { id: unknown }).id),
        node: `${node.label} → postgresql ${db.host}:${db.port}`,
        command: createRoleSqlShown(db.harbor.user),
        exitCode: ok ? 0 : 1,
        durationMs: Date.now() - started,
        purpose: 'form: create the Harbor database account',
      });
    }
  }

  #probesOf(
    raw: unknown,
    service: 'database' | 'redis' | 'oss',
  ): ((client: Parameters<typeof probeRedis>[0], from: string) => Promise<DraftServiceCheck>)[] {
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
