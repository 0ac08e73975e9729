/** The TLS certificate the application presents, judged as clients will judge it. */
import type { CertificateCheck } from '../../../../shared/api/contracts/topology';
import type { PeerCertificate } from '../../probe/http';
import { L } from './common';

/** Warn this many days before a certificate expires: time to get a new one. */
export const CERT_WARN_DAYS = 30;
/** Warn harder this many days before (its problem an error): renew now, or docker clients start refusing the registry. */
export const CERT_URGENT_DAYS = 7;

const DAY_MS = 86_400_000;

/**
 * What clients will make of a certificate Harbor presents (through the load balancer, or on a node
 * when TLS ends there): expired or not yet valid, not for the domain, trusted by no CA and not the
 * one pinned in the profile (docker then refuses it: x509), or expiring soon.
 */
export function certificateCheck(cert: PeerCertificate | undefined, where: string, at: string, nowMs = Date.now()): CertificateCheck {
  if (!cert) return { status: 'unknown', checkedAt: at };
  const validTo = Date.parse(cert.validTo);
  const validFrom = Date.parse(cert.validFrom);
  const daysLeft = Math.floor((validTo - nowMs) / DAY_MS);
  const until = Number.isFinite(validTo) ? new Date(validTo).toISOString().slice(0, 10) : cert.validTo;
  const base = {
    checkedAt: at,
    fingerprint: cert.fingerprint256,
    validTo: Number.isFinite(validTo) ? new Date(validTo).toISOString() : cert.validTo,
    daysLeft,
    detail: `${cert.subjectAltName ?? cert.subject}; valid until ${until} (${daysLeft} days); SHA256 ${cert.fingerprint256.slice(0, 23)}…`,
  };
  if (nowMs > validTo)
    return {
      ...base,
      status: 'fail',
      reason: 'expired',
      error: L(`${where}: the certificate expired on ${until}`, `${where}：证书已于 ${until} 过期`),
    };
  if (nowMs < validFrom)
    return {
      ...base,
      status: 'fail',
      reason: 'not_yet_valid',
      error: L(
        `${where}: the certificate is not valid before ${new Date(validFrom).toISOString().slice(0, 10)} (check the clock)`,
        `${where}：证书在 ${new Date(validFrom).toISOString().slice(0, 10)} 之前无效（请检查时钟）`,
      ),
    };
  if (cert.nameError)
    return {
      ...base,
      status: 'fail',
      reason: 'name',
      error: L(`${where}: the certificate is not for this domain: ${cert.nameError}`, `${where}：证书与该域名不匹配：${cert.nameError}`),
    };
  if (!cert.authorized && !cert.pinned) {
    return {
      ...base,
      status: 'fail',
      reason: 'untrusted',
      error: L(
        `${where}: no CA this computer trusts vouches for the certificate (${cert.authorizationError ?? 'not trusted'}), and it is not the one in the profile`,
        `${where}：本机信任的 CA 均未签发该证书（${cert.authorizationError ?? '不受信任'}），且它不是配置中的证书`,
      ),
    };
  }
  if (daysLeft < CERT_URGENT_DAYS)
    return {
      ...base,
      status: 'warn',
      reason: 'expiring_soon',
      error: L(
        `${where}: the certificate expires on ${until}, in ${daysLeft} days: renew it now`,
        `${where}：证书将于 ${until} 过期，仅剩 ${daysLeft} 天：请立即续期`,
      ),
    };
  if (daysLeft < CERT_WARN_DAYS)
    return {
      ...base,
      status: 'warn',
      reason: 'expiring',
      error: L(
        `${where}: the certificate expires on ${until}, in ${daysLeft} days`,
        `${where}：证书将于 ${until} 过期，剩余 ${daysLeft} 天`,
      ),
    };
  return { ...base, status: 'ok' };
}
