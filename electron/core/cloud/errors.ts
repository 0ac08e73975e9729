/**
 * What the operator reads when Aliyun's OpenAPI refuses a call: one message naming the cause and what to do (the RAM
 * permission missing, the key or the clock that is wrong, the instance id that does not exist), with Aliyun's error
 * code and request id for a ticket. The SDK's own message is never passed on whole: Aliyun's `Message` may be quoted,
 * after the redactor, since for an unknown code it is the only explanation there is.
 */
import type { CloudProduct } from '../../../shared/profile';
import { ApiError } from '../../../shared/errors';
import { L, type Localized } from '../../../shared/i18n/localized';
import { ramAction } from './actions';

/** What the SDK throws (ClientError, ServerError, ThrottlingError) or a transport error. */
interface SdkError {
  readonly code?: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly data?: { Message?: string; message?: string; AccessDeniedDetail?: { AuthAction?: string } };
  readonly accessDeniedDetail?: { AuthAction?: string };
  readonly message?: string;
}

/** The profile fields a cause points to, for the UI's "edit this field". */
const FIELD = {
  key: 'cloud.accessKeyId',
  secret: 'cloud.accessKeySecret',
  region: 'cloud.region',
  endpoint: 'cloud.endpoints',
  ca: 'cloud.caCertificate',
} as const;

/** Where the instance a product's call names is set in the profile. */
const INSTANCE_FIELD: Partial<Record<CloudProduct, string>> = {
  slb: 'loadBalancer.instanceId',
  rds: 'database.instanceId',
  kvstore: 'redis.instanceId',
};

/** The transport failures worth naming (Node's codes). */
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

export interface CallPlace {
  readonly product: CloudProduct;
  readonly action: string;
  readonly endpoint: string;
}

/** The ApiError for a failed call; `redact` masks the account's key id, secret and token in anything quoted. */
export function cloudError(error: unknown, at: CallPlace, redact: (text: string) => string): ApiError {
  const e = (error ?? {}) as SdkError;
  const code = e.code ?? '';
  const ram = ramAction(at.product, at.action);
  const aliyunMessage = redact(e.data?.Message ?? e.data?.message ?? '').slice(0, 400);
  const ticket = e.requestId ? ` (RequestId ${e.requestId})` : '';
  const make = (message: Localized, field?: string) =>
    new ApiError({ code: 'cloud', reason: code || 'network', message, ...(field ? { field } : {}) });

  if (code === 'Forbidden.RAM' || code === 'Forbidden' || code.startsWith('NoPermission')) {
    const needed = e.accessDeniedDetail?.AuthAction ?? e.data?.AccessDeniedDetail?.AuthAction ?? ram;
    return make(
      L(
        `The Aliyun account may not ${needed} (${code}${ticket}). Grant it in RAM: the policy the app prints (Profiles → Aliyun account → RAM policy) lists every action it calls.`,
        `该阿里云账号没有 ${needed} 权限（${code}${ticket}）。请在 RAM 中授权：应用给出的策略（集群配置 → 阿里云账号 → RAM 策略）列出了它调用的每个操作。`,
      ),
      FIELD.key,
    );
  }
  if (code === 'InvalidAccessKeyId.NotFound' || code === 'InvalidAccessKeyId' || code === 'InvalidAccessKeyId.Inactive')
    return make(
      L(
        `Aliyun does not know this AccessKey ID, or it is disabled (${code}${ticket}). Check the AccessKey ID of the Aliyun account.`,
        `阿里云不认识该 AccessKey ID，或它已被禁用（${code}${ticket}）。请检查阿里云账号的 AccessKey ID。`,
      ),
      FIELD.key,
    );
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature')
    return make(
      L(
        `Aliyun refused the signature (${code}${ticket}): the AccessKey secret does not belong to this AccessKey ID. Enter the secret again.`,
        `阿里云拒绝了签名（${code}${ticket}）：AccessKey Secret 与该 AccessKey ID 不匹配。请重新输入 Secret。`,
      ),
      FIELD.secret,
    );
  if (code.startsWith('InvalidTimeStamp') || code === 'RequestTimeTooSkewed')
    return make(
      L(
        `Aliyun refused the request's time (${code}${ticket}): this computer's clock is more than 15 minutes off. Set the clock (NTP) and try again.`,
        `阿里云拒绝了请求时间（${code}${ticket}）：本机时钟偏差超过 15 分钟。请校准时钟（NTP）后重试。`,
      ),
    );
  if (code === 'SignatureNonceUsed')
    return make(L(`Aliyun saw this request before (${code}${ticket}); try again.`, `阿里云已收到过该请求（${code}${ticket}）；请重试。`));
  if (code.includes('Throttling'))
    return make(
      L(
        `Aliyun asks to slow down (${code}${ticket}); the app tries again later. Wait a minute.`,
        `阿里云要求降低调用频率（${code}${ticket}）；请稍候一分钟再试。`,
      ),
    );
  const transport = (e as { code?: string }).code ?? '';
  if (TLS_CODES.has(transport) || /certificate|self[- ]signed/i.test(e.message ?? ''))
    return make(
      L(
        `The endpoint ${at.endpoint} presented a TLS certificate this computer does not trust, so nothing was sent. For a private endpoint, add its CA certificate to the Aliyun account.`,
        `端点 ${at.endpoint} 出示的 TLS 证书不受本机信任，因此未发送任何内容。私有端点请在阿里云账号中填写其 CA 证书。`,
      ),
      FIELD.ca,
    );
  if (
    ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(transport) ||
    /timeout/i.test(e.message ?? '')
  )
    return make(
      L(
        `This computer cannot reach Aliyun's endpoint ${at.endpoint} (${transport || 'timeout'}). Check the network, the region, or the endpoint set for ${at.product}.`,
        `本机无法访问阿里云端点 ${at.endpoint}（${transport || '超时'}）。请检查网络、地域，或为 ${at.product} 设置的端点。`,
      ),
      FIELD.endpoint,
    );
  const instanceField = INSTANCE_FIELD[at.product];
  if (instanceField && /^(Invalid\w*Id\.NotFound|InvalidDBInstanceId\.NotFound|InvalidInstanceId\.NotFound)$/.test(code))
    return make(
      L(
        `Aliyun has no such instance in this region (${code}${ticket}). Check the instance id and the Aliyun account's region.`,
        `阿里云在该地域中没有此实例（${code}${ticket}）。请检查实例 ID 与阿里云账号的地域。`,
      ),
      instanceField,
    );
  const said = aliyunMessage ? `: ${aliyunMessage}` : '';
  return make(
    L(
      `Aliyun refused ${ram} (${code || e.statusCode || 'error'}${ticket})${said}`,
      `阿里云拒绝了 ${ram}（${code || e.statusCode || '错误'}${ticket}）${said}`,
    ),
  );
}
