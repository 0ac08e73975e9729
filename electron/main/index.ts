/**
 * Electron main: one window with a sandboxed, context-isolated renderer, the contract bound to
 * IPC, and the window's own state (window.ts). All the work happens in electron/core.
 */
import {
  app,
  BrowserWindow,
  dialog,
  type FileFilter,
  type OpenDialogOptions,
  ipcMain,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron';
import { join } from 'node:path';
import { localeFromTag } from '../../shared/i18n/localized';
import { logsDir } from '../core/app/logs';
import { createCore } from '../core/core';
import type { FilePurpose } from '../../shared/api/contracts/files';
import { createLog, Redactor } from '../core/log';
import { APP_ORIGIN, bindIpc, isTrustedSender } from './ipc';
import { serveRendererFile } from './protocol';
import { restoreWindow } from './window';
import { MIN_SIZE } from './window-state';

const rendererDir = join(__dirname, '..', 'renderer');

/** What each "Choose file…" of the form offers first; "All files" always, since key files often have no extension. */
const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };
const FILE_FILTERS: Record<FilePurpose, FileFilter[]> = {
  installer: [{ name: 'Harbor installer', extensions: ['tgz', 'gz'] }, ALL_FILES],
  sshKey: [ALL_FILES],
  certificate: [{ name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] }, ALL_FILES],
  privateKey: [{ name: 'PEM private key', extensions: ['pem', 'key'] }, ALL_FILES],
};
const preloadPath = join(__dirname, '..', 'preload', 'index.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start() {
  const trusted = new Set<number>();
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every WebContents, including any we did not create on purpose: no navigation, no new windows, no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.setDevicePermissionHandler(() => false);
    protocol.handle('app', (request) => serveRendererFile(rendererDir, request.url));

    const dataDir = app.getPath('userData');
    const redactor = new Redactor();
    const log = createLog({ file: join(logsDir(dataDir), 'main.log'), redactor });
    let core: ReturnType<typeof createCore>;
    try {
      core = createCore({
        host: {
          name: app.getName(),
          version: app.getVersion(),
          electron: process.versions.electron ?? null,
          chrome: process.versions.chrome ?? null,
          locale: localeFromTag(app.getLocale()),
          dataDir,
          // About → Open logs folder (the core only ever passes its own logs folder).
          openFolder: (path) => shell.openPath(path),
        },
        log,
        redactor,
        // The vault's data key is wrapped by the OS keyring where there is a real one.
        safeStorage,
        // The form's "Choose file…": the path goes to the core, which reads the file itself.
        chooseFile: async (purpose) => {
          const options: OpenDialogOptions = { properties: ['openFile', 'showHiddenFiles'], filters: FILE_FILTERS[purpose] };
          const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
          return r.canceled ? null : (r.filePaths[0] ?? null);
        },
      });
    } catch (error) {
      // A damaged profiles or vault file: say which and what to do, change nothing, and quit.
      const e = error as { localized?: { en: string; 'zh-CN': string }; message?: string };
      log.error('startup failed', error);
      dialog.showErrorBox('Harbor HA Deployer', e.localized ? `${e.localized['zh-CN']}\n\n${e.localized.en}` : String(e.message ?? error));
      app.quit();
      return;
    }
    const binding = bindIpc(ipcMain, core.dispatcher, (event) => isTrustedSender(event, trusted));

    const restored = restoreWindow();
    mainWindow = new BrowserWindow({
      ...restored.bounds,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      show: false,
      title: 'Harbor HA Deployer',
      webPreferences: {
        // Reviewed (electronegativity PRELOAD_JS_CHECK): the preload is sandboxed, context-isolated and
        // exposes only the contract's four IPC channels; see electron/preload/index.ts.
        preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // Middle-click would otherwise open links in new windows.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    const id = mainWindow.webContents.id;
    trusted.add(id);
    restored.track(mainWindow, APP_ORIGIN);
    mainWindow.once('ready-to-show', () => {
      // maximize() also shows the window, so it waits for the first paint as show() does.
      if (restored.maximized) mainWindow?.maximize();
      mainWindow?.show();
    });
    // The renderer asks (beforeunload) while a form has unsaved edits; Electron would cancel the
    // close silently, so ask the operator here.
    mainWindow.webContents.on('will-prevent-unload', (event) => {
      const choice = dialog.showMessageBoxSync(mainWindow!, {
        type: 'question',
        buttons: ['放弃更改并关闭 / Discard and close', '继续编辑 / Keep editing'],
        defaultId: 1,
        cancelId: 1,
        title: 'Harbor HA Deployer',
        message: '有尚未保存的更改。\nThere are unsaved changes.',
      });
      if (choice === 0) event.preventDefault();
    });
    mainWindow.on('closed', () => {
      trusted.delete(id);
      mainWindow = null;
    });
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html${restored.page ? `#/${restored.page}` : ''}`);

    app.on('before-quit', () => {
      binding.dispose();
      void core.close();
    });
  });
}
