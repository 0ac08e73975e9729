/** The app itself: what it is, and a clock stream that proves streaming end to end. */
import { z } from 'zod';
import { call, stream } from '../define';
import { LOCALES } from '../../i18n/localized';
import type { AppInfo, ClockTick, Diagnostics } from '../types';

const empty = z.object({}).strict();

export const appContract = {
  'app.info': call(empty, 'Version, platform, transport and locale of the running app.').returns<AppInfo>(),
  'app.diagnostics': call(
    z
      .object({
        /** The language the UI shows (the operator may have switched away from the system's). */
        locale: z.enum(LOCALES),
        /** The browser's user agent (serve mode): which browser the report is about. */
        userAgent: z
          .string()
          .max(512)
          .regex(/^[\x20-\x7e]*$/)
          .optional(),
      })
      .strict(),
    'A plain-text report for a bug report: versions, OS, locale, counts of profiles and nodes, the last run; no secrets, names, addresses or paths.',
  ).returns<Diagnostics>(),
  'app.openLogsFolder': call(empty, "Opens the app's logs folder in the desktop's file manager (desktop app only).").returns<null>(),

  'app.clock': stream(
    z.object({ intervalMs: z.number().int().min(100).max(60_000) }).strict(),
    "Ticks with the core's time at a fixed interval: proves that event streams reach the UI.",
  ).emits<ClockTick>(),
} as const;
