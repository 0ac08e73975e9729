import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { fill, type Locale, type Localized } from '../../shared/i18n/localized';
import { messages, type MessageKey } from './messages';

export interface I18n {
  readonly locale: Locale;
  readonly t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** Picks the current language from a text that came from the core (errors, explanations). */
  readonly pick: (text: Localized) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo<I18n>(
    () => ({
      locale,
      t: (key, params) => fill(messages[key], params)[locale],
      pick: (text) => text[locale],
    }),
    [locale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
