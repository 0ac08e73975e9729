/** The two languages every user-facing string exists in. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A user-facing text in every supported language. */
export type Localized = Readonly<Record<Locale, string>>;

/** A user-facing text, English then Chinese, as the code writes them side by side. */
export function L(en: string, zh: string): Localized {
  return { en, 'zh-CN': zh };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the app language from a BCP 47 tag such as the OS or browser reports it
 * ("zh-CN", "zh-Hans-CN", "zh_TW", "en-US"): any Chinese variant gives zh-CN, everything else en.
 */
export function localeFromTag(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  return /^zh\b/i.test(tag.replace('_', '-')) ? 'zh-CN' : 'en';
}

/** Replaces `{name}` placeholders in both languages. */
export function fill(text: Localized, params: Readonly<Record<string, string | number>> = {}): Localized {
  const sub = (s: string) => s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
  return { 'zh-CN': sub(text['zh-CN']), en: sub(text.en) };
}
