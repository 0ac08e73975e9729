/** UI preferences kept in the browser profile: they are not secret and not part of any cluster. */
import { isLocale, localeFromTag, type Locale } from '../shared/i18n/localized';

export type ThemeMode = 'light' | 'dark';
/** What the operator chose: a fixed theme, or the system's (prefers-color-scheme), followed live. */
export type ThemeChoice = ThemeMode | 'system';

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

/** A new user follows the system; an earlier explicit choice is kept. */
export function initialTheme(): ThemeChoice {
  const saved = read(THEME_KEY);
  return saved === 'light' || saved === 'dark' || saved === 'system' ? saved : 'system';
}

export const saveLocale = (locale: Locale) => write(LOCALE_KEY, locale);
export const saveTheme = (theme: ThemeChoice) => write(THEME_KEY, theme);
