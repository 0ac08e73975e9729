/** Test doubles for Electron's safeStorage. The usable one really encrypts (AES-256-GCM, fixed key). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/core/vault/vault';

const KEY = Buffer.alloc(32, 7);

/** Like safeStorage with a working keyring: ciphertext is `v11` + iv + tag + data. */
export function fakeSafeStorage(backend = 'gnome_libsecret', key = KEY): SafeStorageLike & { calls: number } {
  const fake = {
    calls: 0,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string): Buffer {
      fake.calls++;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from('v11'), iv, c.getAuthTag(), data]);
    },
    decryptString(encrypted: Buffer): string {
      fake.calls++;
      if (encrypted.subarray(0, 3).toString() !== 'v11')
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      const d = createDecipheriv('aes-256-gcm', key, encrypted.subarray(3, 15));
      d.setAuthTag(encrypted.subarray(15, 31));
      return Buffer.concat([d.update(encrypted.subarray(31)), d.final()]).toString('utf8');
    },
  };
  return fake;
}

/** Linux without a keyring: "available", but the backend is basic_text (a hard-coded key). */
export const basicTextSafeStorage = (): SafeStorageLike => fakeSafeStorage('basic_text', Buffer.alloc(32, 0));

/** A platform where encryption is not available at all. */
export const unavailableSafeStorage = (): SafeStorageLike => ({
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new Error('Encryption is not available.');
  },
  decryptString: () => {
    throw new Error('Decryption is not available.');
  },
});
