import { DesktopOutlined, InfoCircleOutlined, MoonOutlined, SunOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Layout, Menu, Segmented, Space, Spin, Tooltip, theme as antdTheme, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, useEffect, useState } from 'react';
import type { ApiClient } from '../shared/api/client';
import type { Locale } from '../shared/i18n/localized';
import { ApiProvider } from './api/context';
import { AboutDialog } from './components/AboutDialog';
import { CoreStatus } from './components/CoreStatus';
import { NavigationGuardProvider, useNavigationGuard } from './components/NavigationGuard';
import { I18nProvider, useI18n } from './i18n';
import { pageFromHash, pageIcon, pageLabel, PAGES, preloadPage, renderPage, type PageId } from './pages';
import { VaultProvider } from './vault/VaultProvider';
import { initialLocale, initialTheme, saveLocale, saveTheme, type ThemeChoice, type ThemeMode } from './settings';

function Shell({
  locale,
  setLocale,
  mode,
  setMode,
}: {
  locale: Locale;
  setLocale: (l: Locale) => void;
  mode: ThemeChoice;
  setMode: (m: ThemeChoice) => void;
}) {
  const { t } = useI18n();
  const { token } = antdTheme.useToken();
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [aboutOpen, setAboutOpen] = useState(false);
  const guard = useNavigationGuard();

  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        theme="light"
        width={208}
        breakpoint="lg"
        collapsedWidth={64}
        style={{ background: token.colorBgContainer, borderRight: `1px solid ${token.colorBorderSecondary}` }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 600, whiteSpace: 'nowrap', overflow: 'hidden', color: token.colorText }}>
          {t('app.title')}
        </div>
        <Menu
          mode="inline"
          selectedKeys={[page]}
          data-testid="nav"
          items={PAGES.map((id) => ({
            key: id,
            icon: pageIcon(id),
            label: t(pageLabel(id)),
            'data-testid': `nav-${id}`,
            onMouseEnter: () => preloadPage(id),
            onFocus: () => preloadPage(id),
          }))}
          onClick={({ key }) => {
            guard.attempt(() => {
              location.hash = `#/${key}`;
            });
          }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            paddingInline: 24,
          }}
        >
          <CoreStatus />
          <Space size="middle">
            <Tooltip title={t('header.language')}>
              <Segmented
                data-testid="language-switch"
                value={locale}
                onChange={(v) => setLocale(v as Locale)}
                options={[
                  { label: '中文', value: 'zh-CN' },
                  { label: 'English', value: 'en' },
                ]}
              />
            </Tooltip>
            <Tooltip title={t('header.theme')}>
              <Segmented
                data-testid="theme-switch"
                value={mode}
                onChange={(v) => setMode(v as ThemeChoice)}
                // In this order: the docs' screenshot helper picks light and dark by position (0, 1).
                options={[
                  { value: 'light', icon: <SunOutlined />, title: t('header.theme.light') },
                  { value: 'dark', icon: <MoonOutlined />, title: t('header.theme.dark') },
                  { value: 'system', icon: <DesktopOutlined />, title: t('header.theme.system') },
                ]}
              />
            </Tooltip>
            <Button icon={<InfoCircleOutlined />} onClick={() => setAboutOpen(true)} data-testid="about-button">
              {t('header.about')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <main data-testid="page" data-page={page}>
            {/* A page's chunk arrives within moments on loopback: the spinner only shows if it does not. */}
            <Suspense fallback={<Spin delay={300} />}>{renderPage(page)}</Suspense>
          </main>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', paddingBlock: 12 }}>
          <Typography.Text type="secondary">Harbor HA Deployer</Typography.Text>
        </Layout.Footer>
      </Layout>
      <AboutDialog open={aboutOpen} onClose={() => setAboutOpen(false)} />
    </Layout>
  );
}

/** Whether a media query matches, following changes live (system settings the operator changes while the app runs). */
function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const m = window.matchMedia?.(query);
    if (!m) return;
    setMatches(m.matches);
    const onChange = () => setMatches(m.matches);
    m.addEventListener('change', onChange);
    return () => m.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

export function App({ client }: { client: ApiClient }) {
  const reduceMotion = useMediaQuery('(prefers-reduced-motion: reduce)');
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)');
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [choice, setChoice] = useState<ThemeChoice>(initialTheme);
  const mode: ThemeMode = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  const setLocale = (l: Locale) => {
    saveLocale(l);
    setLocaleState(l);
  };
  const setMode = (m: ThemeChoice) => {
    saveTheme(m);
    setChoice(m);
  };
  return (
    <ConfigProvider
      locale={locale === 'zh-CN' ? zhCN : enUS}
      // Dialogs and menus appear without zoom and fade when the system asks for reduced motion.
      theme={{
        algorithm: mode === 'dark' ? antdTheme.darkAlgorithm : antdTheme.defaultAlgorithm,
        token: { motion: !reduceMotion },
        // antd's component styles come from its prebuilt stylesheet (main.tsx): generating them at run time
        // cost the first screen about half of its render. The theme's values still come from here as CSS variables.
        zeroRuntime: true,
      }}
    >
      <I18nProvider locale={locale}>
        <ApiProvider client={client}>
          <VaultProvider>
            <NavigationGuardProvider>
              <div
                data-testid="app"
                data-locale={locale}
                data-theme={mode}
                data-theme-choice={choice}
                data-motion={reduceMotion ? 'reduced' : 'full'}
              >
                <Shell locale={locale} setLocale={setLocale} mode={choice} setMode={setMode} />
              </div>
            </NavigationGuardProvider>
          </VaultProvider>
        </ApiProvider>
      </I18nProvider>
    </ConfigProvider>
  );
}
