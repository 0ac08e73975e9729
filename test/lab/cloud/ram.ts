/**
 * RAM for the lab's cloud: AccessKey pairs and the actions each may call, by RAM action name (`<service>:<Action>`,
 * the names a RAM policy's `Action` lists). A signed request for an action the key is not allowed is refused with
 * 403 `Forbidden.RAM` and the `AccessDeniedDetail` object Aliyun adds (it names the `AuthAction`).
 */
import crypto from 'node:crypto';
import { AcsError } from './errors';

export interface AccessKey {
  id: string;
  secret: string;
}

/** `'*'` allows every action; otherwise RAM action names such as `slb:SetBackendServers`. */
export type Allowed = '*' | readonly string[];

const alnum = (n: number) => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.randomBytes(n), (b) => chars[b % chars.length]).join('');
};

export class Ram {
  private readonly keys = new Map<string, { secret: string; allowed: Allowed; uid: string }>();
  /** the account the lab's keys belong to (a sub-user each), as AccessDeniedDetail names it */
  readonly accountId = String(1_000_000_000_000_000 + crypto.randomInt(1, 2 ** 47));

  /** A new key pair: Aliyun's ids start with `LTAI`, secrets are 30 characters. */
  accessKey(allowed: Allowed): AccessKey {
    const id = `LTAI${alnum(20)}`;
    const secret = alnum(30);
    this.keys.set(id, { secret, allowed, uid: String(200_000_000_000_000_000n + BigInt(crypto.randomInt(1, 2 ** 47))) });
    return { id, secret };
  }

  /** Disable a key: later requests with it get InvalidAccessKeyId.NotFound. */
  deleteAccessKey(id: string): void {
    this.keys.delete(id);
  }

  secretOf(id: string): string | undefined {
    return this.keys.get(id)?.secret;
  }

  /** Throws Forbidden.RAM unless `id` may call `ramAction`. */
  authorize(id: string, ramAction: string): void {
    const k = this.keys.get(id);
    if (!k) throw new AcsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    if (k.allowed === '*' || k.allowed.includes(ramAction)) return;
    const [service] = ramAction.split(':');
    if (k.allowed.includes(`${service}:*`)) return;
    throw new AcsError(403, 'Forbidden.RAM', "User not authorized to operate on the specified resource, or this API doesn't support RAM.", {
      AccessDeniedDetail: {
        PolicyType: 'AccountLevelIdentityBasedPolicy',
        AuthPrincipalOwnerId: this.accountId,
        AuthPrincipalType: 'SubUser',
        AuthPrincipalDisplayName: k.uid,
        NoPermissionType: 'ImplicitDeny',
        AuthAction: ramAction,
        EncodedDiagnosticMessage: Buffer.from(JSON.stringify({ AuthAction: ramAction, NoPermissionType: 'ImplicitDeny' })).toString(
          'base64',
        ),
      },
    });
  }
}
