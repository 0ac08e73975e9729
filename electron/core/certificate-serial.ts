/**
 * The serial number of a certificate the app makes (the registry's token certificate, a generated TLS certificate).
 */
import { randomBytes } from 'node:crypto';

/**
 * 16 random bytes whose DER INTEGER is positive (top bit clear, RFC 5280 §4.1.2.2) and minimal: a first byte of zero
 * followed by one below 0x80 is padding that OpenSSL ("illegal padding") and Go's x509 refuse, which 1 random serial in
 * 256 had, so the first byte is kept in 0x40..0x7f (126 random bits remain).
 */
export function certificateSerial(random: Uint8Array = randomBytes(16)): Buffer {
  const serial = Buffer.from(random);
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  return serial;
}
