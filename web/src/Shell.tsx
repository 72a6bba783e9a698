import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Modal, Skeleton, Tag } from 'antd';
import { AppstoreOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import type { Role } from './api';
import { useAuth, useMe } from './auth';
import { useI18n, type Key } from './i18n';
import { useRouter } from './router';
import { homePath, resolve, routesFor, tabsFor } from './routes';
import { watchAntd } from './a11y';

const Account = lazy(() => import('./pages/Account'));
import { useIsMobile } from './hooks';
import LangSwitch from './components/LangSwitch';
import Bell from './components/Bell';
import QueueBadge from './offline/QueueBadge';

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
  useEffect(() => watchAntd(pageHost), [pageHost]);
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

  const nav = routesFor(me.role).filter((r) => r.menu);
  const resolved = resolve(path, me.role);

  useEffect(() => {
    if (!resolved) navigate(homePath(me.role), { replace: true });
  }, [!resolved, me.role, navigate]);

  if (!resolved) return null;
  const { route, props } = resolved;
  const navKey = route.parent ?? route.key;
  const title = t(route.label);
  const Page = route.page;

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
      <div key={`${path}|${lang}`} data-testid={`page-${navKey}`}>
        <Page {...props} />
      </div>
    </Suspense>
  );
  const portal = createPortal(page, pageHost);

  if (mobile) {
    const tabs = tabsFor(me.role);
    const rest = nav.filter((n) => !tabs.includes(n));
    const inMore = rest.some((n) => n.key === navKey);
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
        <nav className="tj-tabbar" aria-label={t('nav.main')} data-testid="tabbar">
          {tabs.map((n) => {
            const primary = !!n.primary;
            return (
              <button
                key={n.key}
                className={`tj-tab ${primary ? 'tj-tab-primary' : ''} ${navKey === n.key ? 'active' : ''}`}
                onClick={() => navigate(n.path)}
                aria-current={navKey === n.key ? 'page' : undefined}
                data-testid={`tab-${n.key}`}
              >
                {primary ? <span className="tj-tab-fab">{n.icon}</span> : n.icon}
                <span>{t(n.label)}</span>
              </button>
            );
          })}
          <button className={`tj-tab ${inMore ? 'active' : ''}`} onClick={() => setMore(true)} aria-haspopup="dialog" aria-expanded={more} data-testid="tab-more">
            <AppstoreOutlined />
            <span>{t('nav.more')}</span>
          </button>
        </nav>
        <Drawer placement="bottom" open={more} onClose={() => setMore(false)} height="auto" title={t('nav.more')} styles={{ body: { padding: 8 } }}>
          <Menu
            mode="inline"
            selectedKeys={[navKey]}
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
          selectedKeys={[navKey]}
          style={{ padding: '4px 8px', flex: 1 }}
          items={nav.map((n) => ({ key: n.key, icon: n.icon, label: <span data-testid={`nav-${n.key}`}>{t(n.label)}</span> }))}
          onClick={({ key }) => navigate(nav.find((n) => n.key === key)!.path)}
        />
        {!collapsed && (
          <div style={{ padding: 16, color: 'rgba(255,255,255,0.7)', fontSize: 12 }} className="tj-break">
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
