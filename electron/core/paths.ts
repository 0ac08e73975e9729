import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_ID = 'harbor-ha-deployer';

/**
 * Where the app keeps its data when Electron does not tell us (serve mode, CLI, tests): the same
 * folder Electron's `userData` uses for this app on each OS, so both modes see the same profiles.
 * `HARBOR_HA_DATA_DIR` overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HARBOR_HA_DATA_DIR) return env.HARBOR_HA_DATA_DIR;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_ID);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_ID);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_ID);
}
