import type { Locale } from '../i18n/localized';

/** How the UI reaches the core. */
export type TransportKind = 'ipc' | 'websocket';

export interface AppInfo {
  readonly name: string;
  readonly version: string;
  /** Node's `process.platform` of the machine running the core. */
  readonly platform: string;
  readonly arch: string;
  readonly versions: {
    readonly node: string;
    /** null in serve mode. */
    readonly electron: string | null;
    readonly chrome: string | null;
  };
  readonly transport: TransportKind;
  /** The language the OS (Electron) or the serve host suggests. The UI may override it. */
  readonly locale: Locale;
  /** Where the app keeps its data on this machine. */
  readonly dataDir: string;
}

export interface ClockTick {
  readonly seq: number;
  /** ISO 8601 time in the core. */
  readonly now: string;
}
