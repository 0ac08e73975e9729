/**
 * Child process for vault-kill.test.ts: opens the vault, then changes it in a loop (sets, deletes,
 * passphrase changes) until it is killed. Prints "ready <counter>" once unlocked.
 * Usage: node --import tsx vault-kill-writer.ts <file> <passphraseA> <passphraseB>
 */
import { Vault, VaultError } from '../../electron/core/vault/vault';

const [file, a, b] = process.argv.slice(2) as [string, string, string];
const vault = Vault.open(file, { kdf: { N: 2 ** 15 } });
let current = a;
if (vault.status().state === 'uninitialized') await vault.initialize(a);
else {
  try {
    await vault.unlock(a);
  } catch (e) {
    if (!(e instanceof VaultError && e.code === 'wrong_passphrase')) throw e;
    await vault.unlock(b);
    current = b;
  }
}
let counter = Number(vault.get('counter') ?? '0');
process.stdout.write(`ready ${counter}\n`);
for (;;) {
  counter++;
  const batch: Promise<void>[] = [vault.set('counter', String(counter)), vault.set(`profile/p${counter % 7}/secret`, `value-${counter}`)];
  if (counter % 5 === 0) batch.push(vault.deletePrefix(`profile/p${(counter + 3) % 7}/`));
  if (counter % 11 === 0) batch.push(vault.copyPrefix(`profile/p${counter % 7}/`, `profile/copy${counter % 3}/`));
  await Promise.all(batch);
  if (counter % 13 === 0) {
    const next = current === a ? b : a;
    await vault.changePassphrase(current, next);
    current = next;
  }
}
