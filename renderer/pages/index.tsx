import type { ReactElement } from 'react';
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

/** Every page is built: a new PageId fails to compile here until it has its page. */
export function renderPage(page: PageId): ReactElement {
  switch (page) {
    case 'profiles':
      return <ProfilesPage key={page} />;
    case 'walkthrough':
      return <WalkthroughPage key={page} />;
    case 'terminals':
      return <TerminalsPage key={page} />;
    case 'topology':
      return <TopologyPage key={page} />;
    case 'activity':
      return <ActivityPage key={page} />;
  }
}
