/**
 * The new certificate of a rotation, judged before anything changes: the profile form's checks (it reads, its key
 * belongs to it, it names the domain, it has not expired) and what a rotation adds, since the text goes to every node
 * as it is: nothing but certificates in it, and the chain in the order TLS sends it (the server's certificate first,
 * then each issuer). Each problem names the input field it is about.
 */
import { X509Certificate } from 'node:crypto';
import type { FieldIssue } from '../../../shared/errors';
import { L } from '../../../shared/i18n/localized';
import { checkTls } from '../profiles/tls';

export type RotationField = 'certificate' | 'privateKey';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The blocks of a PEM text that are not certificates (a key pasted with the chain), by label. */
function foreignBlocks(pem: string): string[] {
  return [...pem.matchAll(PEM_BLOCK)].map((m) => m[1]!).filter((label) => label !== 'CERTIFICATE');
}

/** Where a chain is out of order: the first certificate not issued by the one after it, 1-based. Null when in order. */
export function chainOrderProblem(pem: string): { position: number; subject: string; next: string } | null {
  const certs: X509Certificate[] = [];
  for (const m of pem.matchAll(PEM_BLOCK)) {
    if (m[1] !== 'CERTIFICATE') continue;
    try {
      certs.push(new X509Certificate(m[0]));
    } catch {
      return null; // unreadable: the form's check says so
    }
  }
  for (let i = 0; i + 1 < certs.length; i++) {
    const [cert, issuer] = [certs[i]!, certs[i + 1]!];
    // checkIssued compares names; verify proves the signature, so a look-alike issuer does not pass.
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey))
      return { position: i + 1, subject: cert.subject.replace(/\n/g, ', '), next: issuer.subject.replace(/\n/g, ', ') };
  }
  return null;
}

/**
 * Every reason not to rotate to this certificate (and key, when TLS ends on the nodes), as issues on the input's
 * fields; empty when it may go to the nodes. A warning of the form (expires within 30 days) is not a reason.
 */
export function rotationIssues(certificatePem: string, privateKeyPem: string | undefined, domain: string, now = new Date()): FieldIssue[] {
  const issue = (path: RotationField, message: FieldIssue['message']): FieldIssue => ({ path, message });
  const foreign = foreignBlocks(certificatePem);
  if (foreign.length)
    return [
      issue(
        'certificate',
        L(
          `the certificate text also holds ${foreign.join(', ')}: paste only the certificate and its chain here (a key goes in the key field, never beside the certificate, which is stored in plain text)`,
          `证书文本中还包含 ${foreign.join('、')}：此处只粘贴证书及其证书链（私钥放在私钥栏，不能与以明文保存的证书放在一起）`,
        ),
      ),
    ];
  const out = checkTls(certificatePem, privateKeyPem, domain, now)
    .filter((f) => f.level === 'error')
    .map((f) => issue(f.field, f.message));
  const order = chainOrderProblem(certificatePem);
  if (order)
    out.push(
      issue(
        'certificate',
        L(
          `the chain is out of order: certificate ${order.position} (${order.subject}) is not issued by the one after it (${order.next}); put the server's certificate first, then each issuer in turn`,
          `证书链顺序错误：第 ${order.position} 个证书（${order.subject}）并非由其后的证书（${order.next}）签发；请把服务器证书放在最前，然后依次放置各级签发者`,
        ),
      ),
    );
  return out;
}
