/**
 * The main window's state kept with electron-store (`<userData>/window-state.json`): restored on
 * start, on a visible display, and saved as the window moves and when it closes. The rules live
 * in window-state.ts; this is the glue to Electron. Only electron/main may use electron-store (it
 * imports electron); the core keeps `conf`.
 */
import { ipcMain, screen, type BrowserWindow } from 'electron';
import Store from 'electron-store';
import { parseWindowState, placeWindow, trackWindowState, type Rect, type WindowState } from './window-state';

const KEY = 'window';

export interface RestoredWindow {
  readonly bounds: Rect;
  readonly maximized: boolean;
  readonly page?: string;
  /** Keeps the store in step with the window from now on. */
  track(window: BrowserWindow, origin: string): void;
}

/** electron-store's channel for stores opened in a renderer; ours never opens one. */
const RENDERER_CHANNEL = 'electron-store-get-data';

function open(): Store<Record<string, unknown>> | null {
  try {
    // The window's place is not worth a startup failure: a damaged file is started afresh.
    return new Store<Record<string, unknown>>({ name: 'window-state', clearInvalidConfig: true });
  } catch {
    return null;
  } finally {
    // electron-store answers that channel (the userData path) to any sender, outside the trusted
    // sender rule of ipc.ts; no renderer of ours asks, so nothing answers.
    ipcMain.removeAllListeners(RENDERER_CHANNEL);
  }
}

export function restoreWindow(): RestoredWindow {
  const store = open();
  let stored: unknown;
  try {
    stored = store?.get(KEY);
  } catch {
    // Unreadable (permissions): the window opens where it would on a first start.
  }
  const saved = parseWindowState(stored);
  const bounds = placeWindow(
    saved.bounds,
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  return {
    bounds,
    maximized: saved.maximized,
    ...(saved.page ? { page: saved.page } : {}),
    track(window, origin) {
      if (!store) return;
      const tracker = trackWindowState({
        origin,
        ...(saved.page ? { page: saved.page } : {}),
        read: () => ({ bounds: window.getNormalBounds(), maximized: window.isMaximized() }),
        write: (state: WindowState) => {
          try {
            store.set(KEY, state);
          } catch {
            // A read-only or full disk costs the next start its window place, nothing more.
          }
        },
      });
      window.on('move', tracker.changed);
      window.on('resize', tracker.changed);
      window.on('maximize', tracker.changed);
      window.on('unmaximize', tracker.changed);
      window.on('close', tracker.closing);
      window.on('closed', tracker.closed);
      // The renderer routes by hash (#/page): in-page navigations of the main frame say which
      // page it shows, with no channel of its own to the renderer.
      window.webContents.on('did-navigate-in-page', (_event, url, isMainFrame) => tracker.navigated(url, isMainFrame));
    },
  };
}
