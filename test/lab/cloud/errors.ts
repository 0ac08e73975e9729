/**
 * Aliyun OpenAPI errors as the gateway returns them: a JSON body `{ RequestId, HostId, Code, Message, Recommend }` with
 * the HTTP status Aliyun uses for the code. The official SDKs read `Code`, `Message`, `RequestId` and
 * `AccessDeniedDetail` from this body and the status from the response, so the shape is what the app's errors show.
 * Messages are Aliyun's own (English, as the real endpoint answers); they never carry a secret.
 */
import crypto from 'node:crypto';

export class AcsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** more top-level fields of the error body, e.g. `AccessDeniedDetail` */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Aliyun's request ids are upper-case UUIDs. */
export function newRequestId(): string {
  return crypto.randomUUID().toUpperCase();
}

/** The body of an error response, as Aliyun sends it. */
export function errorBody(err: AcsError, requestId: string, host: string, product: string): Record<string, unknown> {
  return {
    RequestId: requestId,
    HostId: host,
    Code: err.code,
    Message: err.message,
    // where Aliyun's answers send people: its troubleshooting page for the code, product and request
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${encodeURIComponent(product || 'POP')}&requestId=${requestId}`,
    ...err.extra,
  };
}

/** The gateway's own refusals (signature, key, time, nonce, action), one place for their codes and statuses. */
export const gatewayErrors = {
  missingHeader: (name: string) =>
    new AcsError(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  incompleteSignature: (why: string) =>
    new AcsError(400, 'IncompleteSignature', `The request signature does not conform to Aliyun standards. ${why}`),
  unsupportedAlgorithm: (alg: string) => new AcsError(400, 'InvalidSignatureMethod', `Specified signature method ${alg} is not supported.`),
  keyNotFound: () => new AcsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  signatureMismatch: (stringToSign: string) =>
    new AcsError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
    ),
  contentHashMismatch: () =>
    new AcsError(400, 'SignatureDoesNotMatch', 'Specified x-acs-content-sha256 is not matched with the hash of the request body.'),
  timestampFormat: () => new AcsError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  timestampExpired: () => new AcsError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  nonceUsed: () => new AcsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  unknownVersion: (v: string) => new AcsError(400, 'InvalidVersion', `Specified parameter Version ${v} is not valid.`),
  unknownAction: () => new AcsError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  missingParameter: (name: string) =>
    new AcsError(400, 'MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  invalidParameter: (name: string, why: string) =>
    new AcsError(400, 'InvalidParameter', `The specified parameter "${name}" is not valid. ${why}`),
};
