import type { AppInfo, TransportKind } from '../../../shared/api';
import type { Locale } from '../../../shared/i18n/localized';

/** What the host process (Electron main or serve mode) knows about itself. */
export interface HostInfo {
  readonly name: string;
  readonly version: string;
  readonly electron: string | null;
  readonly chrome: string | null;
  readonly locale: Locale;
  readonly dataDir: string;
}

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
  };
}
