// The UI's one route table: each page's path, its lazily loaded code, who may open it and
// where it shows (the desktop side menu, the phone's bottom bar, or the phone's "more"
// sheet). Shell.tsx renders from this table only; router.tsx matches paths against it.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  AimOutlined,
  CloudUploadOutlined,
  EditOutlined,
  ExperimentOutlined,
  FireOutlined,
  NotificationOutlined,
  SettingOutlined,
  ShopOutlined,
  SunOutlined,
  TeamOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import type { Role } from './api';
import type { Key } from './i18n';
import { match } from './router';
import { PAGES } from './pageLoaders';

export type PageKey =
  | 'today'
  | 'visit'
  | 'customers'
  | 'customer'
  | 'prospects'
  | 'team'
  | 'leaderboard'
  | 'diagnosis'
  | 'people'
  | 'settings'
  | 'data'
  | 'notify';

/** The two bottom bars of the phone: a rep's day and a manager's (director's, admin's) day. */
export type Bar = 'rep' | 'mgr';

type Page = LazyExoticComponent<ComponentType<any>>;

export interface RouteDef {
  key: PageKey;
  /** "/customers/:id" style; params are passed to `props`. */
  path: string;
  page: Page;
  /** The page's props from the path's params; null when the params are not valid (the route does not match). */
  props?: (params: Record<string, string>) => Record<string, unknown> | null;
  label: Key;
  icon: ReactNode;
  roles: readonly Role[];
  /** Shown in the desktop side menu and the phone's "more" sheet (detail pages are not). */
  menu: boolean;
  /** Position in the phone's bottom bar, per bar; absent: under "more". */
  tab?: Partial<Record<Bar, number>>;
  /** The bottom-bar tab drawn as the big round button (the one thing a rep does most). */
  primary?: boolean;
  /** A detail page highlights its list's menu entry. */
  parent?: PageKey;
}

const ALL: readonly Role[] = ['rep', 'manager', 'director', 'admin'];
const MGR: readonly Role[] = ['manager', 'director', 'admin'];

// Order = the side menu's order. The bottom bars (SPEC §1, the daily rhythm):
//   rep:     今日 (plan, alerts, evening share) · 客户 · 记拜访 · 潜在客户 (new customers every day) · 更多
//   manager: 团队 (morning/evening boards, 陪访) · 客户 · 记拜访 (陪访) · 排行榜 (benchmarks) · 更多
const SPECS: readonly Omit<RouteDef, 'page'>[] = [
  { key: 'today', path: '/today', label: 'nav.today', icon: <SunOutlined />, roles: ['rep'], menu: true, tab: { rep: 0 } },
  { key: 'team', path: '/team', label: 'nav.team', icon: <TeamOutlined />, roles: MGR, menu: true, tab: { mgr: 0 } },
  { key: 'customers', path: '/customers', label: 'nav.customers', icon: <ShopOutlined />, roles: ALL, menu: true, tab: { rep: 1, mgr: 1 } },
  {
    key: 'customer',
    path: '/customers/:id',
    props: ({ id }) => (/^[1-9]\d{0,17}$/.test(id) ? { id: Number(id) } : null),
    label: 'nav.customers',
    icon: <ShopOutlined />,
    roles: ALL,
    menu: false,
    parent: 'customers',
  },
  { key: 'visit', path: '/visit', label: 'nav.visit', icon: <EditOutlined />, roles: ALL, menu: true, tab: { rep: 2, mgr: 2 }, primary: true },
  { key: 'prospects', path: '/prospects', label: 'nav.prospects', icon: <AimOutlined />, roles: ALL, menu: true, tab: { rep: 3 } },
  { key: 'leaderboard', path: '/leaderboard', label: 'nav.leaderboard', icon: <TrophyOutlined />, roles: ALL, menu: true, tab: { mgr: 3 } },
  { key: 'diagnosis', path: '/diagnosis', label: 'nav.diagnosis', icon: <ExperimentOutlined />, roles: MGR, menu: true },
  { key: 'people', path: '/people', label: 'nav.people', icon: <FireOutlined />, roles: MGR, menu: true },
  { key: 'settings', path: '/settings', label: 'nav.settings', icon: <SettingOutlined />, roles: MGR, menu: true },
  { key: 'data', path: '/data', label: 'nav.data', icon: <CloudUploadOutlined />, roles: ALL, menu: true },
  { key: 'notify', path: '/notify', label: 'nav.notify', icon: <NotificationOutlined />, roles: ['admin'], menu: true },
];

/** The route table; each page's code is the lazily loaded chunk that PAGES names for its path. */
export const ROUTES: readonly RouteDef[] = SPECS.map((r) => ({ ...r, page: lazy(PAGES[r.path]) }));


export function barOf(role: Role): Bar {
  return role === 'rep' ? 'rep' : 'mgr';
}

/** Where a role lands after login, and where an unknown or forbidden path leads. */
export function homePath(role: Role): string {
  return role === 'rep' ? '/today' : '/team';
}

/** The routes a role may open. */
export function routesFor(role: Role): RouteDef[] {
  return ROUTES.filter((r) => r.roles.includes(role));
}

/** The phone's bottom-bar tabs for a role, in order. */
export function tabsFor(role: Role): RouteDef[] {
  const bar = barOf(role);
  return routesFor(role)
    .filter((r) => r.tab?.[bar] !== undefined)
    .sort((a, b) => a.tab![bar]! - b.tab![bar]!);
}

export interface Resolved {
  route: RouteDef;
  props: Record<string, unknown>;
}

/** The route for a path, if the role may open it; null otherwise (the shell then goes home). */
export function resolve(path: string, role: Role): Resolved | null {
  for (const route of routesFor(role)) {
    const params = match(route.path, path);
    if (!params) continue;
    const props = route.props ? route.props(params) : {};
    if (props) return { route, props };
  }
  return null;
}
