import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Modal, Skeleton, Tag } from 'antd';
import {
  AimOutlined,
  AppstoreOutlined,
  CloudUploadOutlined,
  EditOutlined,
  FireOutlined,
  LockOutlined,
  LogoutOutlined,
  SettingOutlined,
  ShopOutlined,
  SunOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
  ExperimentOutlined,
  NotificationOutlined,
} from '@ant-design/icons';
import type { Role } from './api';
import { useAuth, useMe } from './auth';
import { useI18n, type Key } from './i18n';
import { match, useRouter } from './router';
import { useIsMobile } from './hooks';
import LangSwitch from './components/LangSwitch';
import Account from './pages/Account';
import Bell from './components/Bell';
import QueueBadge from './offline/QueueBadge';

const Today = lazy(() => import('./pages/Today'));
const LogVisit = lazy(() => import('./pages/LogVisit'));
const Customers = lazy(() => import('./pages/Customers'));
const CustomerDetail = lazy(() => import('./pages/CustomerDetail'));
const Prospects = lazy(() => import('./pages/Prospects'));
const TeamPage = lazy(() => import('./pages/Team'));
const Leaderboard = lazy(() => import('./pages/Leaderboard'));
const Diagnosis = lazy(() => import('./pages/Diagnosis'));
const People = lazy(() => import('./pages/People'));
const SettingsPage = lazy(() => import('./pages/Settings'));
const ImportExport = lazy(() => import('./pages/ImportExport'));
const Deliveries = lazy(() => import('./pages/Deliveries'));

type NavKey =
  | 'today'
  | 'visit'
  | 'customers'
  | 'prospects'
  | 'team'
  | 'leaderboard'
  | 'diagnosis'
  | 'people'
  | 'settings'
  | 'data'
  | 'notify';

interface NavItem {
  key: NavKey;
  path: string;
  label: Key;
  icon: ReactNode;
  roles: Role[];
}

const ALL: Role[] = ['rep', 'manager', 'director', 'admin'];
const MGR: Role[] = ['manager', 'director', 'admin'];

const NAV: NavItem[] = [
  { key: 'today', path: '/today', label: 'nav.today', icon: <SunOutlined />, roles: ['rep'] },
  { key: 'team', path: '/team', label: 'nav.team', icon: <TeamOutlined />, roles: MGR },
  { key: 'visit', path: '/visit', label: 'nav.visit', icon: <EditOutlined />, roles: ALL },
  { key: 'customers', path: '/customers', label: 'nav.customers', icon: <ShopOutlined />, roles: ALL },
  { key: 'prospects', path: '/prospects', label: 'nav.prospects', icon: <AimOutlined />, roles: ALL },
  { key: 'leaderboard', path: '/leaderboard', label: 'nav.leaderboard', icon: <TrophyOutlined />, roles: ALL },
  { key: 'diagnosis', path: '/diagnosis', label: 'nav.diagnosis', icon: <ExperimentOutlined />, roles: MGR },
  { key: 'people', path: '/people', label: 'nav.people', icon: <FireOutlined />, roles: MGR },
  { key: 'settings', path: '/settings', label: 'nav.settings', icon: <SettingOutlined />, roles: MGR },
  { key: 'data', path: '/data', label: 'nav.data', icon: <CloudUploadOutlined />, roles: ALL },
  { key: 'notify', path: '/notify', label: 'nav.notify', icon: <NotificationOutlined />, roles: ['admin'] },
];

// The four tabs of the phone's bottom bar, per role; everything else is under "more".
const TABS: Record<'rep' | 'mgr', NavKey[]> = {
  rep: ['today', 'customers', 'visit', 'leaderboard'],
  mgr: ['team', 'customers', 'leaderboard', 'diagnosis'],
};

export function homePath(role: Role): string {
  return role === 'rep' ? '/today' : '/team';
}

function resolve(path: string): { key: NavKey; node: ReactNode } | null {
  if (path === '/today') return { key: 'today', node: <Today /> };
  if (path === '/visit') return { key: 'visit', node: <LogVisit /> };
  if (path === '/customers') return { key: 'customers', node: <Customers /> };
  const m = match('/customers/:id', path);
  if (m && /^\d+$/.test(m.id)) return { key: 'customers', node: <CustomerDetail id={Number(m.id)} key={m.id} /> };
  if (path === '/prospects') return { key: 'prospects', node: <Prospects /> };
  if (path === '/team') return { key: 'team', node: <TeamPage /> };
  if (path === '/leaderboard') return { key: 'leaderboard', node: <Leaderboard /> };
  if (path === '/diagnosis') return { key: 'diagnosis', node: <Diagnosis /> };
  if (path === '/people') return { key: 'people', node: <People /> };
  if (path === '/settings') return { key: 'settings', node: <SettingsPage /> };
  if (path === '/data') return { key: 'data', node: <ImportExport /> };
  if (path === '/notify') return { key: 'notify', node: <Deliveries /> };
  return null;
}

function roleLabel(role: Role): Key {
  return `role.${role}` as Key;
}

/**
 * Where the page shows in a layout. The page itself is rendered once, into `host`
 * (a portal at a fixed place in the tree), and the slot only moves that node: turning
 * a phone to landscape or resizing a window across the phone/desktop breakpoint swaps
 * the layout but keeps the page mounted, with whatever the user had typed or imported.
 */
function PageSlot({ host }: { host: HTMLElement }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.appendChild(host);
  }, [host]);
  return <div ref={ref} />;
}

export default function Shell() {
  const [pageHost] = useState(() => document.createElement('div'));
  const me = useMe();
  const { logout } = useAuth();
  const { t, lang } = useI18n();
  const { path, navigate } = useRouter();
  const mobile = useIsMobile();
  const [more, setMore] = useState(false);
  const [account, setAccount] = useState(false);
  const accountModal = (
    <Modal open={account} onCancel={() => setAccount(false)} footer={null} title={t('nav.account')} destroyOnClose width={560}>
      <Suspense fallback={<Skeleton active />}>
        <Account />
      </Suspense>
    </Modal>
  );
  const [collapsed, setCollapsed] = useState(false);

  const nav = NAV.filter((n) => n.roles.includes(me.role));
  const resolved = resolve(path);
  const allowed = resolved && nav.some((n) => n.key === resolved.key);

  useEffect(() => {
    if (!allowed) navigate(homePath(me.role), { replace: true });
  }, [allowed, me.role, navigate]);

  if (!allowed || !resolved) return null;
  const current = nav.find((n) => n.key === resolved.key)!;
  const title = t(current.label);

  const userMenu = {
    items: [
      {
        key: 'who',
        disabled: true,
        label: (
          <div style={{ lineHeight: 1.5 }}>
            <div style={{ fontWeight: 600, color: '#1f1f1f' }}>{me.display_name}</div>
            <div className="tj-muted" style={{ fontSize: 12 }}>
              {me.org.name} · {t(roleLabel(me.role))}
            </div>
          </div>
        ),
      },
      { type: 'divider' as const },
      { key: 'account', icon: <LockOutlined />, label: <span data-testid="menu-account">{t('nav.account')}</span> },
      { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'logout') logout().then(() => navigate('/', { replace: true }));
      if (key === 'account') setAccount(true);
    },
  };

  const avatar = (
    <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
      <Button type="text" style={{ padding: '0 4px', height: 40 }} data-testid="user-menu">
        <Avatar size={32} style={{ background: mobile ? 'rgba(255,255,255,0.25)' : '#c8281e' }} icon={<UserOutlined />}>
        </Avatar>
        {!mobile && <span style={{ marginLeft: 6, maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis' }}>{me.display_name}</span>}
      </Button>
    </Dropdown>
  );

  const page = (
    <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
      <div key={`${path}|${lang}`} data-testid={`page-${resolved.key}`}>{resolved.node}</div>
    </Suspense>
  );
  const portal = createPortal(page, pageHost);

  if (mobile) {
    const tabKeys = TABS[me.role === 'rep' ? 'rep' : 'mgr'].filter((k) => nav.some((n) => n.key === k));
    const tabs = tabKeys.map((k) => nav.find((n) => n.key === k)!);
    const rest = nav.filter((n) => !tabKeys.includes(n.key));
    const inMore = rest.some((n) => n.key === resolved.key);
    // The same first child (the page's portal) in both layouts keeps the page mounted.
    return (
      <>
      {portal}
      {accountModal}
      <div className="tj-mobile">
        <header className="tj-header">
          <span className="tj-brand-mark" style={{ width: 28, height: 28, fontSize: 15 }}>铁</span>
          <h1 data-testid="page-title">{title}</h1>
          <LangSwitch dark />
          <QueueBadge mobile />
          <Bell mobile />
          {avatar}
        </header>
        <main className="tj-content">
          <PageSlot host={pageHost} />
        </main>
        <nav className="tj-tabbar" data-testid="tabbar">
          {tabs.map((n) => {
            const primary = n.key === 'visit';
            return (
              <button
                key={n.key}
                className={`tj-tab ${primary ? 'tj-tab-primary' : ''} ${resolved.key === n.key ? 'active' : ''}`}
                onClick={() => navigate(n.path)}
                data-testid={`tab-${n.key}`}
              >
                {primary ? <span className="tj-tab-fab">{n.icon}</span> : n.icon}
                <span>{t(n.label)}</span>
              </button>
            );
          })}
          <button className={`tj-tab ${inMore ? 'active' : ''}`} onClick={() => setMore(true)} data-testid="tab-more">
            <AppstoreOutlined />
            <span>{t('nav.more')}</span>
          </button>
        </nav>
        <Drawer placement="bottom" open={more} onClose={() => setMore(false)} height="auto" title={t('nav.more')} styles={{ body: { padding: 8 } }}>
          <Menu
            mode="inline"
            selectedKeys={[resolved.key]}
            style={{ borderInlineEnd: 'none' }}
            items={[
              ...rest.map((n) => ({ key: n.key, icon: n.icon, label: t(n.label) })),
              { type: 'divider' as const },
              { key: 'account', icon: <LockOutlined />, label: t('nav.account') },
              { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
            ]}
            onClick={({ key }) => {
              setMore(false);
              if (key === 'logout') logout().then(() => navigate('/', { replace: true }));
              else if (key === 'account') setAccount(true);
              else navigate(nav.find((n) => n.key === key)!.path);
            }}
          />
        </Drawer>
      </div>
      </>
    );
  }

  return (
    <>
    {portal}
    {accountModal}
    <Layout className={`tj-desktop ${collapsed ? 'tj-collapsed' : ''}`} style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} className="tj-sider" breakpoint="lg" collapsedWidth={72} onCollapse={setCollapsed} trigger={null}>
        <div className="tj-sider-brand">
          <span className="tj-brand">
            <span className="tj-brand-mark">铁</span>
            {!collapsed && <span>{t('app.name')}</span>}
          </span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[resolved.key]}
          style={{ padding: '4px 8px', flex: 1 }}
          items={nav.map((n) => ({ key: n.key, icon: n.icon, label: <span data-testid={`nav-${n.key}`}>{t(n.label)}</span> }))}
          onClick={({ key }) => navigate(nav.find((n) => n.key === key)!.path)}
        />
        {!collapsed && (
          <div style={{ padding: 16, color: 'rgba(255,255,255,0.45)', fontSize: 12 }} className="tj-break">
            {me.org.name}
          </div>
        )}
      </Layout.Sider>
      <Layout>
        <header className="tj-header">
          <h1 data-testid="page-title">{title}</h1>
          <Tag color="volcano" style={{ marginInlineEnd: 0 }}>{t(roleLabel(me.role))}</Tag>
          <LangSwitch />
          <QueueBadge mobile={false} />
          <Bell mobile={false} />
          {avatar}
        </header>
        <main className="tj-content">
          <PageSlot host={pageHost} />
        </main>
      </Layout>
    </Layout>
    </>
  );
}
