import { join } from 'node:path';
import { startServe, type ServeHandle } from '../../electron/core/serve/server';
import { testCore } from './core';

export const projectRoot = join(import.meta.dirname, '..', '..');

/** Serve mode over the built renderer (out/renderer), with a fresh core. */
export async function serveBuiltApp(): Promise<{ serve: ServeHandle; core: ReturnType<typeof testCore> }> {
  const core = testCore();
  const serve = await startServe({ dispatcher: core.dispatcher, log: core.log, staticDir: join(projectRoot, 'out', 'renderer') });
  return { serve, core };
}
