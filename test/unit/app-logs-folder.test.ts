/**
 * app.openLogsFolder: the desktop window opens the app's own logs folder through the host (Electron's shell.openPath);
 * a browser (serve mode) is refused, since the folder is on the core's machine, not the browser's.
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';

const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

/** A core as Electron main builds it, whose host opens folders the way shell.openPath answers: '' or an error text. */
function desktopCore(openFolder?: (path: string) => Promise<string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbor-logs-'));
  const redactor = new Redactor();
  const core = createCore({
    host: {
      name: 'Harbor HA Deployer',
      version: '0.0.0-test',
      electron: '1.0.0',
      chrome: '1.0',
      locale: 'en',
      dataDir,
      ...(openFolder ? { openFolder } : {}),
    },
    log: createLog({ file: join(dataDir, 'logs', 'main.log'), redactor }),
    redactor,
  });
  cores.push(core);
  return { core, dataDir };
}

describe('app.openLogsFolder', () => {
  it('opens <dataDir>/logs, the folder the log is written to, from the desktop window', async () => {
    const opened: string[] = [];
    const { core, dataDir } = desktopCore(async (path) => {
      opened.push(path);
      return statSync(path).isDirectory() ? '' : 'not a folder';
    });
    core.log.info('something worth reading');
    expect(await core.dispatcher.call('app.openLogsFolder', {}, { transport: 'ipc' })).toEqual({ ok: true, value: null });
    expect(opened).toEqual([join(dataDir, 'logs')]);
    const info = await core.dispatcher.call('app.info', {}, { transport: 'ipc' });
    expect(info).toMatchObject({ ok: true, value: { logsDir: join(dataDir, 'logs'), canOpenFolders: true } });
  });

  it('refuses a browser, and says so in both languages', async () => {
    const opened: string[] = [];
    const { core } = desktopCore(async (path) => {
      opened.push(path);
      return '';
    });
    const env = await core.dispatcher.call('app.openLogsFolder', {}, { transport: 'websocket' });
    expect(env).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'no_desktop' } });
    expect(env.ok ? null : env.error.message['zh-CN']).toBe('只有桌面应用可以打开文件夹；请复制路径。');
    expect(opened).toEqual([]);
    expect(await core.dispatcher.call('app.info', {}, { transport: 'websocket' })).toMatchObject({ value: { canOpenFolders: false } });
  });

  it('passes on what the file manager said when it could not open the folder', async () => {
    const { core } = desktopCore(async () => 'Failed to open path');
    const env = await core.dispatcher.call('app.openLogsFolder', {}, { transport: 'ipc' });
    expect(env).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'open_failed' } });
    expect(env.ok ? '' : env.error.message.en).toMatch(/could not open .*logs: Failed to open path$/);
  });

  it('is refused where the host cannot open folders (serve mode, the CLI)', async () => {
    const { core } = desktopCore();
    const env = await core.dispatcher.call('app.openLogsFolder', {}, { transport: 'ipc' });
    expect(env).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'no_desktop' } });
  });
});
