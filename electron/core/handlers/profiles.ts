import type { CallsOf } from '../api/dispatcher';
import type { ProfileService } from '../profiles/service';
import type { Vault } from '../vault/vault';

export function vaultHandlers(vault: Vault): CallsOf<'vault'> {
  return {
    'vault.status': () => vault.status(),
    'vault.setup': async ({ passphrase }) => (await vault.initialize(passphrase), vault.status()),
    'vault.unlock': async ({ passphrase }) => (await vault.unlock(passphrase), vault.status()),
    'vault.lock': () => (vault.lock(), vault.status()),
    'vault.changePassphrase': async ({ current, next }) => (await vault.changePassphrase(current, next), vault.status()),
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
