/**
 * The core as the hosts see it: one object built from the host's facts, holding the dispatcher
 * that every transport talks to. Electron main and serve mode both create exactly this. Each
 * feature contributes its handlers from electron/core/handlers/.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HostInfo } from './app/info';
import { createDispatcher, type Dispatcher, type Handlers } from './api/dispatcher';
import { appHandlers } from './handlers/app';
import { profileHandlers, vaultHandlers } from './handlers/profiles';
import { cloudHandlers } from './handlers/cloud';
import { CloudService } from './cloud/service';
import { sshHandlers } from './handlers/ssh';
import { transferHandlers } from './handlers/transfer';
import { terminalHandlers } from './handlers/terminal';
import { topologyHandlers } from './handlers/topology';
import { deployHandlers } from './handlers/deploy';
import { maintenanceHandlers } from './handlers/maintenance';
import { MaintenanceService } from './maintenance/service';
import { draftHandlers } from './handlers/draft';
import { filesHandlers, type ChooseFile } from './handlers/files';
import { remoteFilesHandlers } from './handlers/remote-files';
import { snippetHandlers } from './handlers/snippets';
import { logsHandlers } from './handlers/logs';
import { LogsService } from './logs/service';
import { metricsHandlers } from './handlers/metrics';
import { MetricsService } from './metrics/service';
import { RemoteFilesService } from './files/remote-service';
import { DataDirLock } from './data-dir-lock';
import { DeployService } from './deploy/service';
import { harborDeployment, harborNodes } from './harbor/adapter';
import { HealthService } from './health/service';
import { AuditLog } from './audit';
import type { Log, Redactor } from './log';
import { FormTests } from './profiles/form-tests';
import { ProfileService } from './profiles/service';
import { SecretStaging } from './profiles/staging';
import { ProfileStore } from './profiles/store';
import { KnownHosts } from './ssh/known-hosts';
import { SshPool } from './ssh/pool';
import { resolveTarget } from './ssh/targets';
import { TransferService } from './transfer/service';
import { SnippetService } from './snippets/service';
import { TerminalManager } from './terminal/manager';
import { Vault, type SafeStorageLike } from './vault/vault';

export interface CoreOptions {
  readonly host: HostInfo;
  readonly log: Log;
  readonly redactor: Redactor;
  /** Electron's safeStorage; absent in serve mode, where the vault always uses a master passphrase. */
  readonly safeStorage?: SafeStorageLike;
  /** known_hosts files of the user to trust as well (read only). Default: ~/.ssh/known_hosts. */
  readonly userKnownHosts?: readonly string[];
  /** The desktop's open-file dialog; absent in serve mode, where the form completes typed paths. */
  readonly chooseFile?: ChooseFile;
}

export interface Core {
  readonly dispatcher: Dispatcher;
  readonly log: Log;
  readonly vault: Vault;
  readonly profiles: ProfileService;
  readonly ssh: SshPool;
  readonly audit: AuditLog;
  readonly terminals: TerminalManager;
  readonly transfers: TransferService;
  readonly remoteFiles: RemoteFilesService;
  readonly deploy: DeployService;
  readonly maintenance: MaintenanceService;
  close(): Promise<void>;
}

/**
 * Builds the core on `host.dataDir`, which it holds alone until close() (see data-dir-lock.ts):
 * a second process on the same folder gets ApiError `conflict` / `data_dir_in_use` from here.
 */
export function createCore(options: CoreOptions): Core {
  const lock = DataDirLock.acquire(options.host.dataDir, { app: options.host.name, desktop: options.host.electron !== null });
  try {
    return build(options, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

function build(options: CoreOptions, lock: DataDirLock): Core {
  const { host, redactor } = options;
  const onSecret = (value: string) => redactor.add(value);
  const vault = Vault.open(join(host.dataDir, 'vault.json'), {
    ...(options.safeStorage ? { safeStorage: options.safeStorage } : {}),
    onSecret,
  });
  // One staging area: imports, key files and generated keys all hand the form tokens the next save redeems.
  const staging = new SecretStaging(onSecret);
  const profileStore = ProfileStore.open(host.dataDir);
  const profiles = new ProfileService(profileStore, vault, staging);
  const app = appHandlers(host, () => profiles.list());
  const audit = new AuditLog(join(host.dataDir, 'audit.log'), redactor);
  const knownHosts = new KnownHosts(join(host.dataDir, 'known_hosts'), options.userKnownHosts ?? [join(homedir(), '.ssh', 'known_hosts')]);
  const ssh = new SshPool({
    knownHosts,
    audit,
    redactor,
    resolve: (profileId, nodeId) => resolveTarget(profiles.get(profileId).profile, nodeId, vault),
  });
  const terminals = new TerminalManager({ pool: ssh, redactor, dataDir: host.dataDir, audit });
  const terminal = terminalHandlers(terminals);
  const transfers = new TransferService({ pool: ssh, knownHosts, audit });
  const transfer = transferHandlers(transfers);
  const remoteFiles = new RemoteFilesService({ pool: ssh, audit });
  const remoteFilesApi = remoteFilesHandlers(remoteFiles);
  const logs = new LogsService({ pool: ssh, audit, redactor });
  const logsApi = logsHandlers(logs);
  const deploy = new DeployService({
    dataDir: host.dataDir,
    profiles,
    vault,
    pool: ssh,
    transfers,
    knownHosts,
    redactor,
    kind: harborDeployment,
  });
  const deployApi = deployHandlers(deploy);
  const maintenance = new MaintenanceService({ deploy, profiles, appVersion: host.version, staging });
  const metrics = new MetricsService({ pool: ssh, audit, kind: harborNodes, profile: (id) => profiles.get(id).profile });
  const topology = topologyHandlers(new HealthService({ pool: ssh, profiles, vault, kind: harborNodes, log: options.log }));

  const handlers: Handlers = {
    calls: {
      ...app.calls,
      ...vaultHandlers(vault),
      ...profileHandlers(profiles),
      ...sshHandlers(ssh, audit),
      ...transfer.calls,
      ...terminal.calls,
      ...topology.calls,
      ...deployApi.calls,
      ...maintenanceHandlers(maintenance),
      ...filesHandlers(staging, options.chooseFile),
      ...remoteFilesApi.calls,
      ...logsApi.calls,
      ...cloudHandlers(new CloudService({ profile: (id) => profiles.get(id).profile, vault, redactor, audit })).calls,
      ...snippetHandlers(
        new SnippetService({
          dataDir: host.dataDir,
          profile: (id) => profiles.get(id).profile,
          redactor,
          vaultUnlocked: () => vault.status().state === 'unlocked',
        }),
      ),
      ...draftHandlers(new FormTests({ store: profileStore, vault, staging }, ssh)),
    },
    streams: {
      ...app.streams,
      ...transfer.streams,
      ...remoteFilesApi.streams,
      ...logsApi.streams,
      ...terminal.streams,
      ...topology.streams,
      ...deployApi.streams,
      ...metricsHandlers(metrics).streams,
    },
  };
  return {
    dispatcher: createDispatcher(handlers, options.log),
    log: options.log,
    vault,
    profiles,
    ssh,
    audit,
    terminals,
    transfers,
    remoteFiles,
    deploy,
    maintenance,
    close: async () => {
      try {
        await deploy.close();
        metrics.close();
        await terminals.closeAll();
        remoteFiles.closeAll();
        logs.closeAll();
        ssh.closeAll();
        await vault.idle();
      } finally {
        lock.release();
      }
    },
  };
}
