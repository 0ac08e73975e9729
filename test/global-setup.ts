/** Builds the app once before any test file runs: the browser tests drive the built renderer. */
// @ts-expect-error plain ESM build script without types
import { buildIfNeeded } from '../build/build.mjs';

export default async function setup(): Promise<void> {
  await (buildIfNeeded as (o: { quiet: boolean }) => Promise<boolean>)({ quiet: true });
}
