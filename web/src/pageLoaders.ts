// Each page's code by path pattern (the pages drawn with antd, not first screens of a daily
// role, arrive inside antd's root: withAntd), fetched on demand (one chunk per page). Kept apart from the
// route table (routes.tsx, with its icons and roles) so that the entry can start a page's
// download at boot: main.tsx preloads the page of the address being opened beside
// GET /api/v1/session instead of after it (issue 15).
import type { ComponentType } from 'react';
import { match } from './router';
import { withAntd } from './antd';

type Loader = () => Promise<{ default: ComponentType<any> }>;

export const PAGES: Record<string, Loader> = {
  '/today': () => import('./pages/Today'),
  '/team': () => import('./pages/Team'),
  '/customers': () => import('./pages/Customers'),
  '/customers/:id': () => import('./pages/CustomerDetail'),
  '/visit': withAntd(() => import('./pages/LogVisit')),
  '/prospects': () => import('./pages/Prospects'),
  '/leaderboard': () => import('./pages/Leaderboard'),
  '/diagnosis': () => import('./pages/Diagnosis'),
  '/people': withAntd(() => import('./pages/People')),
  '/settings': withAntd(() => import('./pages/Settings')),
  '/data': withAntd(() => import('./pages/ImportExport')),
  '/notify': withAntd(() => import('./pages/Deliveries')),
};

/** Starts downloading the code of the page at `path`, if a pattern matches. */
export function preloadPath(path: string): void {
  for (const [pattern, load] of Object.entries(PAGES)) {
    if (match(pattern, path)) void load().catch(() => undefined);
  }
}
