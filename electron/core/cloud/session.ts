/**
 * One way to Aliyun's OpenAPI for a profile's account: the official SDK clients (ACS3-HMAC-SHA256 signing is theirs,
 * never ours), each on the product's endpoint for the region or the one the profile names, TLS verified against the
 * system's CAs or the profile's CA. Every call is checked against the actions list first (actions.ts) — an action
 * not listed is a bug and is never sent — and every failure becomes one clear ApiError (errors.ts). With a RAM role
 * the session first assumes it through STS and signs with the temporary key.
 */
import type { CloudAccount, CloudProduct } from '../../../shared/profile';
import { ApiError } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { isListed, PRODUCTS } from './actions';
import { cloudError } from './errors';
import { loadOpenApi, loadTyped, type OpenApiClient, type TypedClient, type TypedModels, type TypedProduct } from './sdk';

/** What a call costs at most: Aliyun answers in well under a second; a minute-long hang helps no one. */
const CONNECT_TIMEOUT_MS = 5_000;
const READ_TIMEOUT_MS = 15_000;

/** A temporary session name Aliyun records in ActionTrail for calls under the role. */
const ROLE_SESSION = 'harbor-ha-deployer';

export interface CloudKey {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface CallRecord {
  readonly product: CloudProduct;
  readonly action: string;
  readonly ok: boolean;
  /** Aliyun's error code when it failed. */
  readonly code?: string;
  readonly ms: number;
}

/**
 * Each product's public endpoint for a region. The classic load balancer's table (alibabacloud.com/help/en/slb/
 * classic-load-balancer/developer-reference/api-slb-2014-05-15-endpoint) keeps the old central name for Hangzhou; the
 * typed clients carry their own tables, so they get only the region.
 */
export function defaultEndpoint(product: CloudProduct, region: string): string | undefined {
  if (product !== 'slb') return undefined;
  return region === 'cn-hangzhou' ? 'slb.aliyuncs.com' : `slb.${region}.aliyuncs.com`;
}

/** The SDKs' runtime options (timeouts, CA) as the typed calls take them. */
export type CallRuntime = Awaited<ReturnType<CloudSession['runtime']>>;

export class CloudSession {
  readonly #account: CloudAccount;
  readonly #key: CloudKey;
  readonly #redact: (text: string) => string;
  readonly #clients = new Map<CloudProduct, Promise<OpenApiClient>>();
  /** Every call made, without parameters or answers: what the audit and the tests look at. */
  readonly calls: CallRecord[] = [];

  private constructor(account: CloudAccount, key: CloudKey, redact: (text: string) => string) {
    this.#account = account;
    this.#key = key;
    this.#redact = redact;
  }

  /**
   * A session for the account, with its secret from the vault. `redact` masks secrets in quoted text (the app's
   * redactor; the key id, secret and any temporary token are added to it here).
   */
  static async open(
    account: CloudAccount,
    accessKeySecret: string,
    redactor: { add(secret: string): void; redact(text: string): string },
  ): Promise<CloudSession> {
    redactor.add(accessKeySecret);
    redactor.add(account.accessKeyId);
    const redact = (t: string) => redactor.redact(t);
    const own = new CloudSession(account, { accessKeyId: account.accessKeyId, accessKeySecret }, redact);
    if (!account.roleArn) return own;
    const assumed = await own.#assumeRole(account.roleArn);
    for (const s of [assumed.accessKeyId, assumed.accessKeySecret, assumed.securityToken]) if (s) redactor.add(s);
    const session = new CloudSession(account, assumed, redact);
    session.calls.push(...own.calls);
    return session;
  }

  get region(): string {
    return this.#account.region;
  }

  /** Where calls to a product go: the profile's endpoint, else the region's public one. */
  async endpoint(product: CloudProduct): Promise<string> {
    return (await this.#client(product))._endpoint;
  }

  /** An RPC-style call through the generic client (the classic load balancer has no typed package). */
  async rpc(product: 'slb', action: string, query: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    const client = await this.#client(product);
    const { models } = await loadOpenApi();
    const params = new models.$OpenApiUtil.Params({
      action,
      version: PRODUCTS[product].version,
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const defined = Object.fromEntries(
      Object.entries({ RegionId: this.region, ...query })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const request = new models.$OpenApiUtil.OpenApiRequest({ query: defined });
    const answer = await client.callApi(params, request, await this.runtime());
    return (answer.body ?? {}) as Record<string, unknown>;
  }

  /**
   * A call with a product's typed SDK client: `use` gets the client, the request models and the runtime options, and
   * makes one call (`client.<action>WithOptions(new models.<Action>Request(…), runtime)`; the policy test reads the
   * calls in this form). It passes the same checks as rpc().
   */
  async typed<P extends TypedProduct, R>(
    product: P,
    use: (client: TypedClient<P>, models: TypedModels<P>, runtime: CallRuntime) => Promise<R>,
  ): Promise<R> {
    const [client, { models }, runtime] = await Promise.all([this.#client(product), loadTyped(product), this.runtime()]);
    return use(client as unknown as TypedClient<P>, models, runtime);
  }

  /** Runtime options for a call: the timeouts, and TLS never relaxed. */
  async runtime() {
    const { dara } = await loadOpenApi();
    return new dara.RuntimeOptions({
      connectTimeout: CONNECT_TIMEOUT_MS,
      readTimeout: READ_TIMEOUT_MS,
      ignoreSSL: false,
      autoretry: false,
      ...(this.#account.caCertificate ? { ca: this.#account.caCertificate } : {}),
    });
  }

  #client(product: CloudProduct): Promise<OpenApiClient> {
    let client = this.#clients.get(product);
    if (!client) {
      client = this.#newClient(product);
      this.#clients.set(product, client);
      client.catch(() => this.#clients.delete(product));
    }
    return client;
  }

  async #newClient(product: CloudProduct): Promise<OpenApiClient> {
    const endpoint = this.#account.endpoints[product] ?? defaultEndpoint(product, this.region);
    const { OpenApi, models } = await loadOpenApi();
    const config = new models.$OpenApiUtil.Config({
      accessKeyId: this.#key.accessKeyId,
      accessKeySecret: this.#key.accessKeySecret,
      ...(this.#key.securityToken ? { securityToken: this.#key.securityToken, type: 'sts' } : { type: 'access_key' }),
      regionId: this.region,
      protocol: 'https',
      connectTimeout: CONNECT_TIMEOUT_MS,
      readTimeout: READ_TIMEOUT_MS,
      ...(endpoint ? { endpoint } : {}),
      ...(this.#account.caCertificate ? { ca: this.#account.caCertificate } : {}),
    });
    const client: OpenApiClient = product === 'slb' ? new OpenApi(config) : new (await loadTyped(product)).Client(config);
    this.#guard(product, client);
    return client;
  }

  /** Every call of the client, typed or generic, ends in callApi: the place to check, time and translate it. */
  #guard(product: CloudProduct, client: OpenApiClient): void {
    const send = client.callApi.bind(client);
    client.callApi = async (params, request, runtime) => {
      const action = params.action;
      if (!isListed(product, action))
        throw new ApiError({
          code: 'internal',
          message: L(
            `The app tried to call ${product}:${action}, which its list of Aliyun actions does not hold; nothing was sent. This is a bug: report it.`,
            `应用试图调用其阿里云操作列表中没有的 ${product}:${action}；未发送任何请求。这是应用的缺陷，请报告。`,
          ),
        });
      const started = performance.now();
      try {
        const answer = await send(params, request, runtime);
        this.calls.push({ product, action, ok: true, ms: performance.now() - started });
        return answer;
      } catch (error) {
        const code = (error as { code?: string }).code;
        this.calls.push({ product, action, ok: false, ms: performance.now() - started, ...(code ? { code } : {}) });
        throw cloudError(error, { product, action, endpoint: client._endpoint }, this.#redact);
      }
    };
  }

  async #assumeRole(roleArn: string): Promise<CloudKey> {
    const answer = await this.typed('sts', (client, models, runtime) =>
      client.assumeRoleWithOptions(
        new models.AssumeRoleRequest({ roleArn, roleSessionName: ROLE_SESSION, durationSeconds: 3600 }),
        runtime,
      ),
    );
    const c = answer.body?.credentials;
    if (!c?.accessKeyId || !c.accessKeySecret || !c.securityToken)
      throw new ApiError({
        code: 'cloud',
        reason: 'AssumeRole',
        field: 'cloud.roleArn',
        message: L(
          `STS gave no temporary key for the role ${roleArn}. Check the role's trust policy: it must trust this account.`,
          `STS 未返回角色 ${roleArn} 的临时密钥。请检查该角色的信任策略：它必须信任此账号。`,
        ),
      });
    return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken };
  }
}
