/**
 * TLS material for the tests as an operator makes it (`openssl req -x509`), and the certificate a server really presents.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';

export interface TestCertificate {
  /** PEM. */
  readonly cert: string;
  /** PEM, unencrypted. */
  readonly key: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** SHA-256 fingerprint as Node writes it (`AA:BB:…`). */
  readonly fingerprint: string;
}

export interface CertificateOptions {
  /** The subject's CN; the SAN names it too unless `san` is given. */
  readonly cn: string;
  /** Where the files go (`<name>.crt`, `<name>.key`); a new temporary folder when absent. */
  readonly dir?: string;
  readonly name?: string;
  readonly days?: number;
  /** RSA 2048 (what Harbor 1.5's how-to makes) or ECDSA P-256. */
  readonly keyType?: 'rsa' | 'ec';
  /** The subjectAltName extension's value, e.g. `DNS:a.example,IP:127.0.0.1`. */
  readonly san?: string;
}

/** A new key and a self-signed certificate for it (each call a new key: a new certificate for the same name). */
export function selfSignedCertificate(o: CertificateOptions): TestCertificate {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'test-cert-'));
  const name = o.name ?? 'server';
  const [certFile, keyFile] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
  const key = o.keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', ...key, '-nodes', '-days', String(o.days ?? 90)],
      ...['-subj', `/CN=${o.cn}`, '-addext', `subjectAltName=${o.san ?? `DNS:${o.cn}`}`],
      ...['-keyout', keyFile, '-out', certFile],
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certFile, 'utf8');
  return { cert, key: readFileSync(keyFile, 'utf8'), certFile, keyFile, fingerprint: new X509Certificate(cert).fingerprint256 };
}

/** The fingerprint of the certificate `host:port` presents in a real handshake with SNI `servername`; null when none. */
export function presentedFingerprint(host: string, servername: string, port = 443): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername, rejectUnauthorized: false, timeout: 3000 });
    const done = (v: string | null) => {
      socket.destroy();
      resolve(v);
    };
    socket.once('secureConnect', () => done(socket.getPeerCertificate().fingerprint256 ?? null));
    socket.once('error', () => done(null));
    socket.once('timeout', () => done(null));
  });
}
