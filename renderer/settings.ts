/** UI preferences kept in the browser profile: they are not secret and not part of any cluster. */
import { isLocale, localeFromTag, type Locale } from '../shared/i18n/localized';

export type ThemeMode = 'light' | 'dark';

const LOCALE_KEY = 'harbor.locale';
const THEME_KEY = 'harbor.theme';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

export function initialLocale(): Locale {
  const saved = read(LOCALE_KEY);
  if (isLocale(saved)) return saved;
  return localeFromTag(navigator.languages?.[0] ?? navigator.language);
}

export function initialTheme(): ThemeMode {
  const saved = read(THEME_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const saveLocale = (locale: Locale) => write(LOCALE_KEY, locale);
export const saveTheme = (theme: ThemeMode) => write(THEME_KEY, theme);
