/**
 * The one API between the UI and the app's core. Every call and event stream is listed with the
 * zod schema of its input and the type of what it returns, one file per feature under contracts/.
 * The preload, the IPC binding in main, the WebSocket transport of serve mode and the renderer's
 * client are all derived from this object: adding a feature means adding a contract file (or
 * entries), its handlers in core and the UI that uses it.
 */
import { appContract } from './contracts/app';
import { profilesContract, vaultContract } from './contracts/profiles';
import { sshContract } from './contracts/ssh';
import { transferContract } from './contracts/transfer';
import { terminalContract } from './contracts/terminal';
import { topologyContract } from './contracts/topology';
import { deployContract } from './contracts/deploy';
import { draftContract } from './contracts/draft';
import { filesContract } from './contracts/files';
import { maintenanceContract } from './contracts/maintenance';
import { remoteFilesContract } from './contracts/remote-files';
import { snippetsContract } from './contracts/snippets';
import { logsContract } from './contracts/logs';
import { metricsContract } from './contracts/metrics';
import { cloudContract } from './contracts/cloud';

export const contract = {
  ...appContract,
  ...vaultContract,
  ...profilesContract,
  ...sshContract,
  ...transferContract,
  ...terminalContract,
  ...topologyContract,
  ...deployContract,
  ...maintenanceContract,
  ...filesContract,
  ...remoteFilesContract,
  ...snippetsContract,
  ...logsContract,
  ...metricsContract,
  ...cloudContract,
  ...draftContract,
} as const;

export type Contract = typeof contract;
