/** Checks of the TLS certificate and key an operator pasted, before anything is deployed. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { CertificateSummary } from '../../../shared/api/types';
import type { Localized } from '../../../shared/i18n/localized';

export interface TlsFinding {
  readonly field: 'certificate' | 'privateKey';
  readonly level: 'error' | 'warning';
  readonly message: Localized;
}

/** The host part of the registry address (`registry.example.com:8443` → `registry.example.com`). */
export function hostOfDomain(domain: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(domain);
  if (bracketed) return bracketed[1]!;
  return isIP(domain) === 6 ? domain : domain.replace(/:\d+$/, '');
}

/** Parses the first certificate of a PEM chain; null when it is not one. */
function firstCertificate(pem: string): X509Certificate | null {
  const m = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!m) return null;
  try {
    return new X509Certificate(m[0]);
  } catch {
    return null;
  }
}

/** Does the certificate name `host` (exact or wildcard DNS SAN, or IP SAN)? */
function namesHost(cert: X509Certificate, host: string): boolean {
  // checkIP throws on anything that is not an address (Node 20), so a name is checked as a name only.
  return isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
}

/**
 * What the form shows under the certificate: who it names, who signed it, until when, and whether the key and the
 * domain fit. Null when there is no certificate to read (the findings say why).
 */
export function describeCertificate(certificatePem: string, privateKeyPem: string | undefined, domain: string): CertificateSummary | null {
  const cert = firstCertificate(certificatePem);
  if (!cert) return null;
  let keyMatches: boolean | null = null;
  if (privateKeyPem !== undefined) {
    try {
      keyMatches = cert.checkPrivateKey(createPrivateKey(privateKeyPem));
    } catch {
      keyMatches = false;
    }
  }
  const names = (cert.subjectAltName ?? '')
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    names,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    selfSigned: cert.subject === cert.issuer && cert.verify(cert.publicKey),
    fingerprint256: cert.fingerprint256,
    keyMatches,
    coversDomain: namesHost(cert, hostOfDomain(domain)),
    chainLength: (certificatePem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length,
  };
}

export function checkTls(certificatePem: string, privateKeyPem: string | undefined, domain: string, now = new Date()): TlsFinding[] {
  const out: TlsFinding[] = [];
  const cert = firstCertificate(certificatePem);
  if (!cert) {
    return [
      {
        field: 'certificate',
        level: 'error',
        message: {
          en: 'the certificate cannot be read: paste the PEM text of the server certificate (and its chain)',
          'zh-CN': '无法读取证书：请粘贴服务器证书（及证书链）的 PEM 文本',
        },
      },
    ];
  }
  if (privateKeyPem !== undefined) {
    let matches = false;
    try {
      matches = cert.checkPrivateKey(createPrivateKey(privateKeyPem));
    } catch {
      out.push({
        field: 'privateKey',
        level: 'error',
        message: {
          en: 'the private key cannot be read: paste an unencrypted PEM key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)',
          'zh-CN': '无法读取私钥：请粘贴未加密的 PEM 私钥（-----BEGIN PRIVATE KEY----- 或 RSA/EC PRIVATE KEY）',
        },
      });
      return out;
    }
    if (!matches) {
      out.push({
        field: 'privateKey',
        level: 'error',
        message: {
          en: 'this private key does not belong to the certificate: nodes would fail the TLS handshake',
          'zh-CN': '此私钥与证书不匹配：节点的 TLS 握手会失败',
        },
      });
    }
  }
  const host = hostOfDomain(domain);
  if (!namesHost(cert, host)) {
    out.push({
      field: 'certificate',
      level: 'error',
      message: {
        en: `the certificate is not valid for ${host}: clients would refuse it`,
        'zh-CN': `该证书不适用于 ${host}：客户端会拒绝它`,
      },
    });
  }
  const notAfter = new Date(cert.validTo);
  if (notAfter < now) {
    out.push({
      field: 'certificate',
      level: 'error',
      message: {
        en: `the certificate expired on ${notAfter.toISOString().slice(0, 10)}`,
        'zh-CN': `证书已于 ${notAfter.toISOString().slice(0, 10)} 过期`,
      },
    });
  } else if (notAfter.getTime() - now.getTime() < 30 * 86_400_000) {
    out.push({
      field: 'certificate',
      level: 'warning',
      message: {
        en: `the certificate expires on ${notAfter.toISOString().slice(0, 10)}, in less than 30 days`,
        'zh-CN': `证书将于 ${notAfter.toISOString().slice(0, 10)} 过期，不到 30 天`,
      },
    });
  }
  return out;
}
