/**
 * The one API between the UI and the app's core. Every call and event stream is listed here with
 * the zod schema of its input and the type of what it returns. The preload, the IPC binding in
 * main, the WebSocket transport of serve mode and the renderer's client are all derived from this
 * object: adding a feature means adding an entry here, a handler in core and the UI that uses it.
 */
import { z } from 'zod';
import { call, stream } from './define';
import type { AppInfo, ClockTick } from './types';

const empty = z.object({}).strict();

export const contract = {
  'app.info': call(empty, 'Version, platform, transport and locale of the running app.').returns<AppInfo>(),

  'app.clock': stream(
    z.object({ intervalMs: z.number().int().min(100).max(60_000) }).strict(),
    'Ticks with the core\'s time at a fixed interval: proves that event streams reach the UI.',
  ).emits<ClockTick>(),
} as const;

export type Contract = typeof contract;
