/**
 * The core as the hosts see it: one object built from the host's facts, holding the dispatcher
 * that every transport talks to. Electron main and serve mode both create exactly this.
 */
import { join } from 'node:path';
import { appInfo, type HostInfo } from './app/info';
import { startClock } from './app/clock';
import { createDispatcher, type Dispatcher, type Handlers } from './api/dispatcher';
import type { Log, Redactor } from './log';
import { fromVaultError, ProfileService } from './profiles/service';
import { SecretStaging } from './profiles/staging';
import { ProfileStore } from './profiles/store';
import { Vault, type SafeStorageLike } from './vault/vault';

export interface CoreOptions {
  readonly host: HostInfo;
  readonly log: Log;
  readonly redactor: Redactor;
  /** Electron's safeStorage; absent in serve mode, where the vault always uses a master passphrase. */
  readonly safeStorage?: SafeStorageLike;
}

export interface Core {
  readonly dispatcher: Dispatcher;
  readonly log: Log;
  readonly vault: Vault;
  readonly profiles: ProfileService;
  close(): Promise<void>;
}

/** Runs a vault operation and reports its errors in the API's terms. */
async function vaultCall<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw fromVaultError(error);
  }
}

export function createCore(options: CoreOptions): Core {
  const { host, redactor } = options;
  const onSecret = (value: string) => redactor.add(value);
  const vault = Vault.open(join(host.dataDir, 'vault.json'), { ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}), onSecret });
  const profiles = new ProfileService(ProfileStore.open(host.dataDir), vault, new SecretStaging(onSecret));

  const handlers: Handlers = {
    calls: {
      'app.info': (_input, ctx) => appInfo(host, ctx.transport),

      'vault.status': () => vault.status(),
      'vault.setup': ({ passphrase }) => vaultCall(async () => (await vault.initialize(passphrase), vault.status())),
      'vault.unlock': ({ passphrase }) => vaultCall(async () => (await vault.unlock(passphrase), vault.status())),
      'vault.lock': () => (vault.lock(), vault.status()),
      'vault.changePassphrase': ({ current, next }) => vaultCall(async () => (await vault.changePassphrase(current, next), vault.status())),

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
    },
    streams: {
      'app.clock': (input, sink) => startClock(input.intervalMs, (tick) => sink.next(tick)),
    },
  };
  return {
    dispatcher: createDispatcher(handlers, options.log),
    log: options.log,
    vault,
    profiles,
    close: () => vault.idle(),
  };
}
