/**
 * A lab CA and the cloud endpoint's server certificate, made with `openssl` as an operator would. Clients trust the
 * CA (openapi-core's `Config.ca` reaches the TLS socket as `ca`), never `rejectUnauthorized: false`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runOk } from '../util';

export interface LabTls {
  /** the CA certificate (PEM): pass as `ca` */
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** CA and a server certificate for `address` and `*.aliyuncs.lab.test`, written under `dir`. */
export async function makeCloudTls(dir: string, address: string): Promise<LabTls> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (n: string) => path.join(dir, n);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runOk('openssl', [
    'req',
    '-x509',
    ...ec,
    '-days',
    '30',
    '-subj',
    '/CN=Harbor lab cloud CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.crt'),
  ]);
  await runOk('openssl', ['req', '-new', ...ec, '-subj', '/CN=aliyuncs.lab.test', '-keyout', f('server.key'), '-out', f('server.csr')]);
  fs.writeFileSync(
    f('server.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=IP:${address},DNS:*.aliyuncs.lab.test,DNS:aliyuncs.lab.test`,
      '',
    ].join('\n'),
  );
  await runOk('openssl', [
    ...['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial'],
    ...['-days', '30', '-extfile', f('server.ext'), '-out', f('server.crt')],
  ]);
  return {
    caPem: fs.readFileSync(f('ca.crt'), 'utf8'),
    certPem: fs.readFileSync(f('server.crt'), 'utf8'),
    keyPem: fs.readFileSync(f('server.key'), 'utf8'),
  };
}
