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

/** A temporary key from STS AssumeRole: valid with its SecurityToken until it expires, with the role's permissions. */
interface Temporary {
  token: string;
  expires: number;
}

export interface Role {
  /** `acs:ram::<account>:role/<name>`, what AssumeRole takes as RoleArn */
  arn: string;
}

export class Ram {
  private readonly keys = new Map<string, { secret: string; allowed: Allowed; uid: string; temporary?: Temporary }>();
  private readonly roles = new Map<string, { name: string; id: string; allowed: Allowed }>();
  /** the account the lab's keys belong to (a sub-user each), as AccessDeniedDetail names it */
  readonly accountId = String(1_000_000_000_000_000 + crypto.randomInt(1, 2 ** 47));

  /** A new key pair: Aliyun's ids start with `LTAI`, secrets are 30 characters. */
  accessKey(allowed: Allowed): AccessKey {
    const id = `LTAI${alnum(20)}`;
    const secret = alnum(30);
    this.keys.set(id, { secret, allowed, uid: String(200_000_000_000_000_000n + BigInt(crypto.randomInt(1, 2 ** 47))) });
    return { id, secret };
  }

  /** A RAM role allowed `'*'` or the listed actions, for STS AssumeRole. */
  role(allowed: Allowed): Role {
    const name = `harbor-lab-${alnum(6).toLowerCase()}`;
    const arn = `acs:ram::${this.accountId}:role/${name}`;
    this.roles.set(arn.toLowerCase(), { name, id: String(300_000_000_000_000_000n + BigInt(crypto.randomInt(1, 2 ** 47))), allowed });
    return { arn };
  }

  /** STS AssumeRole: a temporary key with the role's permissions, `seconds` long. */
  assumeRole(
    arn: string,
    session: string,
    seconds: number,
  ): { key: AccessKey; token: string; expires: Date; assumedArn: string; assumedId: string } {
    const role = this.roles.get(arn.toLowerCase());
    if (!role) throw new AcsError(404, 'EntityNotExist.Role', `The role not exists: ${arn}.`);
    const id = `STS.${alnum(21)}`;
    const secret = alnum(44);
    const token = `CAIS${crypto.randomBytes(120).toString('base64')}`;
    const expires = new Date(Date.now() + seconds * 1000);
    this.keys.set(id, { secret, allowed: role.allowed, uid: `${role.id}:${session}`, temporary: { token, expires: expires.getTime() } });
    return {
      key: { id, secret },
      token,
      expires,
      assumedArn: `acs:ram::${this.accountId}:assumed-role/${role.name}/${session}`,
      assumedId: `${role.id}:${session}`,
    };
  }

  /**
   * A temporary key is only good with its own SecurityToken (`x-acs-security-token`) and until it expires; a long-term
   * key with a token is refused too, as STS tokens belong to their key.
   */
  checkToken(id: string, token: string | undefined, now = Date.now()): void {
    const t = this.keys.get(id)?.temporary;
    if (!t && token === undefined) return;
    if (!t || token !== t.token)
      throw new AcsError(400, 'InvalidSecurityToken.Mismatch', 'Specified SecurityToken mismatch with the AccessKey.');
    if (now > t.expires) throw new AcsError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
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
        AuthPrincipalType: k.temporary ? 'AssumedRoleUser' : 'SubUser',
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
