/**
 * Optional vitest globalSetup: installs the Debian packages the lab needs once, before any test file starts
 * (otherwise the first `up()` does it, inside a beforeAll with its hook timeout).
 */
import { ensurePrerequisites } from './index';

export default async function setup(): Promise<void> {
  await ensurePrerequisites();
}
