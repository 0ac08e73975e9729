/**
 * Which secret values Harbor can carry. Each secret lands in several places once prepare has run (destinations.ts),
 * each written in its own way (value-formats.ts); a value is refused exactly when one of those places would not
 * receive it as typed, and the message names the field, the place and why. Everything else is accepted: the app never
 * asks an operator to change a password Harbor would carry. docs/profiles.md shows the resulting table (generated
 * from this code by build/gen-value-table.mjs).
 */
import type { Localized } from '../i18n/localized';
import {
  destinationsOf,
  SECRET_LABELS,
  type Destination,
  type DestinationContext,
  type Generation,
  type PolicedSecret,
} from './destinations';
import type { Profile } from './schema';
import { FORMAT_DESCRIPTIONS, formatBreak, type Break } from './value-formats';

export { POLICED_SECRETS, SECRET_LABELS, type Generation, type PolicedSecret } from './destinations';

/** A context for checks made without a profile at hand: password AUTH, a plain host. */
export const NEUTRAL_CONTEXT: DestinationContext = { redis: { host: 'redis.example.com', port: 6379, auth: 'password', jobserviceDb: 2 } };

/** What the places need of a profile besides the secret itself. */
export function destinationContext(p: Pick<Profile, 'redis'>): DestinationContext {
  const r = p.redis;
  return { redis: { host: r.host, port: r.port, auth: r.auth, username: r.username, jobserviceDb: r.dbIndexes.jobservice } };
}

/** The first place the value does not survive, and what breaks it there; null when every place receives it. */
export function firstBreak(
  field: PolicedSecret,
  generation: Generation,
  value: string,
  context: DestinationContext = NEUTRAL_CONTEXT,
): { destination: Destination; found: Break } | null {
  for (const destination of destinationsOf(field, generation) ?? []) {
    const written = destination.written ? destination.written(value, context) : value;
    const found = formatBreak(destination.format, written);
    if (found) return { destination, found };
  }
  return null;
}

/**
 * Checks one secret value for the generation in use. Returns a bilingual message naming the field, the character,
 * the place it breaks and what to do, or null when Harbor carries the value everywhere.
 */
export function checkPolicedValue(
  field: PolicedSecret,
  generation: Generation,
  value: string,
  context: DestinationContext = NEUTRAL_CONTEXT,
): Localized | null {
  const hit = firstBreak(field, generation, value, context);
  if (!hit) return null;
  const { destination: d, found } = hit;
  const label = SECRET_LABELS[field];
  const how = FORMAT_DESCRIPTIONS[d.format];
  const what = found.what === '' ? { en: 'an empty value', 'zh-CN': '空值' } : { en: `"${found.what}"`, 'zh-CN': `“${found.what}”` };
  return {
    en: `${label.en}: Harbor puts this value into ${d.place} (${d.key}; ${how.en}), and ${what.en} does not survive there: ${found.why.en}. Choose a value without it (change it at the provider first if it is an existing password).`,
    'zh-CN': `${label['zh-CN']}：Harbor 会把该值写入 ${d.place}（${d.key}；${how['zh-CN']}），其中的${what['zh-CN']}在那里无法保留：${found.why['zh-CN']}。请换一个不含它的值（如果是已有的密码，请先在服务商处修改）。`,
  };
}
