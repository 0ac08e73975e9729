import type { AppInfo, TransportKind } from '../../../shared/api';
import type { Locale } from '../../../shared/i18n/localized';
import { logsDir } from './logs';

/** What the host process (Electron main or serve mode) knows about itself. */
export interface HostInfo {
  readonly name: string;
  readonly version: string;
  readonly electron: string | null;
  readonly chrome: string | null;
  readonly locale: Locale;
  readonly dataDir: string;
  /**
   * Opens a folder in the desktop's file manager (Electron's shell.openPath); resolves to an error
   * text, empty on success, as shell.openPath does. Absent in serve mode and the CLI.
   */
  readonly openFolder?: (path: string) => Promise<string>;
}

/** Only the desktop window may open folders: a browser (serve mode) may be on another machine than the core. */
export const canOpenFolders = (host: HostInfo, transport: TransportKind): boolean => transport === 'ipc' && host.openFolder !== undefined;

export function appInfo(host: HostInfo, transport: TransportKind): AppInfo {
  return {
    name: host.name,
    version: host.version,
    platform: process.platform,
    arch: process.arch,
    versions: { node: process.versions.node, electron: host.electron, chrome: host.chrome },
    transport,
    locale: host.locale,
    dataDir: host.dataDir,
    logsDir: logsDir(host.dataDir),
    canOpenFolders: canOpenFolders(host, transport),
  };
}
