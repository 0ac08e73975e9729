/** Checks of the TLS certificate and key an operator pasted, before anything is deployed. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Localized } from '../../../shared/i18n/localized';

export interface TlsFinding {
  readonly field: 'certificate' | 'privateKey';
  readonly level: 'error' | 'warning';
  readonly message: Localized;
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
  if (cert.checkHost(host) !== undefined) return true;
  return cert.checkIP(host) !== undefined;
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
  const host = domain.replace(/:\d+$/, '');
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
