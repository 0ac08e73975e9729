import type { Transport } from '../shared/api/wire';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in serve mode. */
    readonly harbor?: Transport;
  }
}
