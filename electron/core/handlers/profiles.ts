import type { CallsOf } from '../api/dispatcher';
import { fromVaultError, type ProfileService } from '../profiles/service';
import type { Vault } from '../vault/vault';

/** Runs a vault operation and reports its errors in the API's terms. */
async function vaultCall<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fromVaultError(error);
  }
}

export function vaultHandlers(vault: Vault): CallsOf<'vault'> {
  return {
    'vault.status': () => vault.status(),
    'vault.setup': ({ passphrase }) => vaultCall(async () => (await vault.initialize(passphrase), vault.status())),
    'vault.unlock': ({ passphrase }) => vaultCall(async () => (await vault.unlock(passphrase), vault.status())),
    'vault.lock': () => (vault.lock(), vault.status()),
    'vault.changePassphrase': ({ current, next }) => vaultCall(async () => (await vault.changePassphrase(current, next), vault.status())),
  };
}

export function profileHandlers(profiles: ProfileService): CallsOf<'profiles'> {
  return {
    'profiles.list': () => profiles.list(),
    'profiles.get': ({ id }) => profiles.get(id),
    'profiles.template': ({ generation }) => profiles.template(generation),
    'profiles.validate': ({ profile, revision }) => profiles.validate(profile, revision),
    'profiles.save': ({ profile, expectedRevision }) => profiles.save(profile, expectedRevision),
    'profiles.clone': ({ id, name }) => profiles.clone(id, name),
    'profiles.rename': ({ id, name, expectedRevision }) => profiles.rename(id, name, expectedRevision),
    'profiles.delete': async ({ id }) => (await profiles.delete(id), null),
    'profiles.export': ({ id, secrets }) => profiles.exportProfile(id, secrets),
    'profiles.import': ({ content, passphrase }) => profiles.importProfile(content, passphrase),
    'profiles.importHarborConfig': ({ fileName, content }) => profiles.importHarborConfig(fileName, content),
    'profiles.importSshConfig': ({ content }) => profiles.importSshConfig(content),
  };
}
