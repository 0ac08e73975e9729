/**
 * Certificates the app makes carry a serial OpenSSL and Go read: positive and minimally encoded. A first byte of zero
 * made 1 generated TLS certificate in 256 unreadable (CI met one). The token certificate's DER writer strips such
 * padding itself; both now take their serial from one place.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateSerial } from '../../electron/core/certificate-serial';
import { selfSignedCertificate } from '../../electron/core/profiles/tls-generate';

describe('certificate serials', () => {
  it('keeps the first byte in 0x40..0x7f whatever the random bytes, and the other 15 as they came', () => {
    for (let first = 0; first < 256; first++) {
      const random = new Uint8Array(16).fill(first === 0 ? 0 : 0xff);
      random[0] = first;
      const serial = certificateSerial(random);
      expect(serial.length).toBe(16);
      expect(serial[0]).toBeGreaterThanOrEqual(0x40);
      expect(serial[0]).toBeLessThanOrEqual(0x7f);
      expect(serial.subarray(1)).toEqual(Buffer.from(random.subarray(1)));
    }
  });

  it('gives 1000 generated TLS certificates in a row that OpenSSL reads (padding failed about 4 of them)', async () => {
    const serials = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const made = await selfSignedCertificate('registry.example.com', 1);
      serials.add(new X509Certificate(made.certificate!).serialNumber);
    }
    expect(serials.size).toBe(1000);
  }, 60_000);
});
