/**
 * A key and a self-signed certificate, or a key and a certificate signing request (CSR), for the registry's domain: what
 * an operator otherwise makes with openssl from a how-to. The key is ECDSA P-256 (every Docker, containerd and browser
 * client accepts it, and it is made in milliseconds where RSA 2048 takes seconds). Node can make keys and sign but not
 * encode X.509, so the structures come from pkijs (PeculiarVentures' PKI library) over Node's WebCrypto.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import type { webcrypto as WebCrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { certificateSerial } from '../certificate-serial';
import { hostOfDomain } from './tls';

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const OID = {
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  extensionRequest: '1.2.840.113549.1.9.14',
} as const;

export interface GeneratedTls {
  /** PEM; the self-signed certificate, or absent for a CSR. */
  readonly certificate?: string;
  /** PEM; the request to hand to a CA, or absent for a self-signed certificate. */
  readonly csr?: string;
  /** PKCS#8 PEM: a secret, which the caller stages and never returns. */
  readonly privateKey: string;
}

// Passed to every pkijs call rather than set as its global engine: nothing else in the process changes.
const ENGINE = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as pkijs.CryptoEngineParameters['crypto'] });

function pem(label: string, der: ArrayBuffer): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The SAN entry: an IP address SAN for an address (clients check those, not DNS names), else a DNS name. */
function subjectAltName(host: string): pkijs.Extension {
  const family = isIP(host);
  const name =
    family === 0
      ? new pkijs.GeneralName({ type: 2, value: host })
      : new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: ipBytes(host, family) }) });
  return new pkijs.Extension({
    extnID: OID.subjectAltName,
    critical: false,
    extnValue: new pkijs.GeneralNames({ names: [name] }).toSchema().toBER(false),
  });
}

function ipBytes(host: string, family: number): ArrayBuffer {
  if (family === 4) return new Uint8Array(host.split('.').map(Number)).buffer;
  // Expand "::" and read eight 16-bit groups.
  const [head = '', tail] = host.split('::');
  const part = (s: string) => (s ? s.split(':') : []);
  const zeros = (n: number): string[] => Array.from({ length: n }, () => '0');
  const groups = tail === undefined ? part(head) : [...part(head), ...zeros(8 - part(head).length - part(tail).length), ...part(tail)];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    bytes[i * 2] = v >> 8;
    bytes[i * 2 + 1] = v & 0xff;
  });
  return bytes.buffer;
}

function commonName(host: string): pkijs.AttributeTypeAndValue {
  return new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: host }) });
}

async function keyPair(): Promise<WebCrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: WebCrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** A self-signed server certificate for `domain`, valid from now for `days`. */
export async function selfSignedCertificate(domain: string, days: number, now = new Date()): Promise<GeneratedTls> {
  const host = hostOfDomain(domain);
  const keys = await keyPair();
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: new Uint8Array(certificateSerial()).buffer });
  cert.subject.typesAndValues.push(commonName(host));
  cert.issuer.typesAndValues.push(commonName(host));
  cert.notBefore.value = now;
  cert.notAfter.value = new Date(now.getTime() + days * 86_400_000);
  cert.extensions = [
    subjectAltName(host),
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.extKeyUsage,
      critical: false,
      extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [OID.serverAuth] }).toSchema().toBER(false),
    }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, ENGINE);
  await cert.sign(keys.privateKey, 'SHA-256', ENGINE);
  return { certificate: pem('CERTIFICATE', cert.toSchema(true).toBER(false)), privateKey: await privateKeyPem(keys.privateKey) };
}

/** A PKCS#10 request for `domain` (CN and SAN), for the operator's CA. */
export async function certificateRequest(domain: string): Promise<GeneratedTls> {
  const host = hostOfDomain(domain);
  const keys = await keyPair();
  const csr = new pkijs.CertificationRequest();
  csr.subject.typesAndValues.push(commonName(host));
  csr.attributes = [
    new pkijs.Attribute({
      type: OID.extensionRequest,
      values: [new pkijs.Extensions({ extensions: [subjectAltName(host)] }).toSchema()],
    }),
  ];
  await csr.subjectPublicKeyInfo.importKey(keys.publicKey, ENGINE);
  await csr.sign(keys.privateKey, 'SHA-256', ENGINE);
  return { csr: pem('CERTIFICATE REQUEST', csr.toSchema().toBER(false)), privateKey: await privateKeyPem(keys.privateKey) };
}
