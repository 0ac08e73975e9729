import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';

/** A core as serve mode builds it, with its data and log in a fresh temp folder. */
export function testCore(): Core & { dataDir: string; logFile: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbor-core-'));
  const logFile = join(dataDir, 'logs', 'test.log');
  const redactor = new Redactor();
  const core = createCore({
    host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir },
    log: createLog({ file: logFile, redactor }),
    redactor,
  });
  return Object.assign(core, { dataDir, logFile });
}
