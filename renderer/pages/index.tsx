import type { ReactElement } from 'react';
import { EmptyPage } from '../components/EmptyPage';
import type { MessageKey } from '../i18n/messages';
import { ActivityPage } from './activity/ActivityPage';
import { ProfilesPage } from './profiles/ProfilesPage';
import { TerminalsPage } from './terminals/TerminalsPage';
import { TopologyPage } from './topology/TopologyPage';
import { WalkthroughPage } from './walkthrough/WalkthroughPage';

export const PAGES = ['profiles', 'walkthrough', 'terminals', 'topology', 'activity'] as const;
export type PageId = (typeof PAGES)[number];

export function isPageId(value: string): value is PageId {
  return (PAGES as readonly string[]).includes(value);
}

export const PAGE_LABEL: Record<PageId, MessageKey> = {
  profiles: 'nav.profiles',
  walkthrough: 'nav.walkthrough',
  terminals: 'nav.terminals',
  topology: 'nav.topology',
  activity: 'nav.activity',
};

export function renderPage(page: PageId): ReactElement {
  if (page === 'profiles') return <ProfilesPage key={page} />;
  if (page === 'terminals') return <TerminalsPage key={page} />;
  if (page === 'activity') return <ActivityPage key={page} />;
  if (page === 'topology') return <TopologyPage key={page} />;
  if (page === 'walkthrough') return <WalkthroughPage key={page} />;
  return <EmptyPage key={page} testId={`page-${page}`} title={`page.${page}.title`} description={`page.${page}.empty`} />;
}
