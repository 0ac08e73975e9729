/**
 * Child process for data-dir-lock.test.ts: a core on a data folder, as serve mode builds it.
 *
 *   save <dataDir> <tag> <count>  unlocks the vault (passphrase in HARBOR_TEST_VAULT_PASSPHRASE),
 *                                 prints "ready", waits for "go" on stdin, then saves <count>
 *                                 profiles `<tag>-<i>`, each with its own node password, prints
 *                                 "done" and closes the core.
 *   hold <dataDir>                prints "ready" and keeps the core open until killed.
 *
 * A core that is refused prints "refused " and the error's data as JSON, and exits with 3.
 */
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createCore, type Core } from '../../electron/core/core';
import { createLog, Redactor } from '../../electron/core/log';
import { ApiError } from '../../shared/errors';
import { profileSchema } from '../../shared/profile';
import { v2Profile } from '../helpers/profiles';

const [mode, dataDir, tag = '', count = '0'] = process.argv.slice(2) as [string, string, string?, string?];
const redactor = new Redactor();
let core: Core;
try {
  core = createCore({
    host: { name: 'Harbor HA Deployer', version: '0.0.0-test', electron: null, chrome: null, locale: 'en', dataDir },
    log: createLog({ redactor, minLevel: 'error' }),
    redactor,
  });
} catch (error) {
  if (!(error instanceof ApiError)) throw error;
  process.stdout.write(`refused ${JSON.stringify(error.toData())}\n`);
  process.exit(3);
}

if (mode === 'hold') {
  process.stdout.write('ready\n');
  setInterval(() => undefined, 60_000);
} else {
  await core.vault.unlock(process.env.HARBOR_TEST_VAULT_PASSPHRASE ?? '');
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  while (((await once(lines, 'line')) as [string])[0] !== 'go');
  for (let i = 0; i < Number(count); i++) {
    const profile = profileSchema.parse(
      v2Profile((p) => {
        p.id = `${tag}-${i}`;
        p.name = `Cluster ${tag} ${i}`;
        p.nodes[0]!.auth = { kind: 'password', password: { value: `${tag}-node-pw-${i}` } };
      }),
    );
    await core.profiles.save(profile);
  }
  process.stdout.write('done\n');
  lines.close();
  await core.close();
}
