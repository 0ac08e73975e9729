/** The app itself: what it is, and a clock stream that proves streaming end to end. */
import { z } from 'zod';
import { call, stream } from '../define';
import type { AppInfo, ClockTick } from '../types';

const empty = z.object({}).strict();

export const appContract = {
  'app.info': call(empty, 'Version, platform, transport and locale of the running app.').returns<AppInfo>(),

  'app.clock': stream(
    z.object({ intervalMs: z.number().int().min(100).max(60_000) }).strict(),
    "Ticks with the core's time at a fixed interval: proves that event streams reach the UI.",
  ).emits<ClockTick>(),
} as const;
