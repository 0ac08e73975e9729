/**
 * The pages and how they load. Each page is a chunk of its own, fetched when first shown, so the
 * shell paints without waiting for xterm, React Flow and the pages not on screen. A new page is
 * one more entry here (its label, its icon, its module).
 */
import { ApartmentOutlined, CodeOutlined, DatabaseOutlined, HistoryOutlined, RocketOutlined, SafetyOutlined } from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactElement, type ReactNode } from 'react';
import type { MessageKey } from '../i18n/messages';

interface PageEntry {
  readonly label: MessageKey;
  readonly icon: ReactNode;
  readonly load: () => Promise<{ default: ComponentType }>;
}

/** In the navigation's order; the first is where the app opens. */
const ENTRIES = {
  profiles: {
    label: 'nav.profiles',
    icon: <DatabaseOutlined />,
    load: () => import('./profiles/ProfilesPage').then((m) => ({ default: m.ProfilesPage })),
  },
  walkthrough: {
    label: 'nav.walkthrough',
    icon: <RocketOutlined />,
    load: () => import('./walkthrough/WalkthroughPage').then((m) => ({ default: m.WalkthroughPage })),
  },
  terminals: {
    label: 'nav.terminals',
    icon: <CodeOutlined />,
    load: () => import('./terminals/TerminalsPage').then((m) => ({ default: m.TerminalsPage })),
  },
  topology: {
    label: 'nav.topology',
    icon: <ApartmentOutlined />,
    load: () => import('./topology/TopologyPage').then((m) => ({ default: m.TopologyPage })),
  },
  maintenance: {
    label: 'nav.maintenance',
    icon: <SafetyOutlined />,
    load: () => import('./maintenance/MaintenancePage').then((m) => ({ default: m.MaintenancePage })),
  },
  activity: {
    label: 'nav.activity',
    icon: <HistoryOutlined />,
    load: () => import('./activity/ActivityPage').then((m) => ({ default: m.ActivityPage })),
  },
} as const satisfies Record<string, PageEntry>;

export type PageId = keyof typeof ENTRIES;
export const PAGES = Object.keys(ENTRIES) as readonly PageId[];

export function isPageId(value: string): value is PageId {
  return Object.hasOwn(ENTRIES, value);
}

export function pageLabel(page: PageId): MessageKey {
  return ENTRIES[page].label;
}

export function pageIcon(page: PageId): ReactNode {
  return ENTRIES[page].icon;
}

/** The page the address names (`#/terminals`, `#/profiles?edit=…`), else the first. */
export function pageFromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0]!;
  return isPageId(id) ? id : PAGES[0]!;
}

// The module loader fetches each chunk once, so a page asked for early (preloadPage) and then
// rendered costs one request.
const LAZY = Object.fromEntries(PAGES.map((id) => [id, lazy(ENTRIES[id].load)])) as Record<PageId, LazyExoticComponent<ComponentType>>;

/**
 * Starts fetching a page's chunk now: the one the app opens on while React is still starting, and
 * another when the pointer or focus reaches its navigation item (a click usually follows).
 * Nothing else loads ahead: a chunk parsed while the first page waits for the core would delay it.
 */
export function preloadPage(page: PageId): void {
  ENTRIES[page].load().catch(() => undefined);
}

/** The page itself; it suspends until its chunk has arrived (App wraps it in Suspense). */
export function renderPage(page: PageId): ReactElement {
  const Page = LAZY[page];
  return <Page key={page} />;
}
