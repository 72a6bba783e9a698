import { Suspense, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { AppstoreOutlined, LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Drawer, Skeleton, Tag } from './ui';
import { lazyAntd } from './antd';
import type { Role } from './api';
import { useAuth, useMe } from './auth';
import { useI18n, type Key } from './i18n';
import { useRouter } from './router';
import { homePath, resolve, routesFor, tabsFor } from './routes';

const AccountDialog = lazyAntd(() => import('./pages/AccountDialog'));
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
  const me = useMe();
  const { logout } = useAuth();
  const { t, lang } = useI18n();
  const { path, navigate } = useRouter();
  const mobile = useIsMobile();
  const [more, setMore] = useState(false);
  const [account, setAccount] = useState(false);
  // Mounted while open (antd arrives with it).
  const accountModal = account ? (
    <Suspense fallback={null}>
      <AccountDialog onClose={() => setAccount(false)} />
    </Suspense>
  ) : null;

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

  const onMenu = (key: string) => {
    if (key === 'logout') logout().then(() => navigate('/', { replace: true }));
    if (key === 'account') setAccount(true);
  };

  const avatar = (
    <UserMenu
      dark={mobile}
      who={
        <div style={{ lineHeight: 1.5 }}>
          <div style={{ fontWeight: 600, color: '#1f1f1f' }}>{me.display_name}</div>
          <div className="tj-muted" style={{ fontSize: 12 }}>
            {me.org.name} · {t(roleLabel(me.role))}
          </div>
        </div>
      }
      button={
        <>
          <Avatar size={32} style={{ background: mobile ? 'rgba(255,255,255,0.25)' : '#c8281e' }} icon={<UserOutlined />} />
          {!mobile && <span className="tj-user-name">{me.display_name}</span>}
        </>
      }
      label={me.display_name}
      items={[
        { key: 'account', icon: <LockOutlined />, label: <span data-testid="menu-account">{t('nav.account')}</span> },
        { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
      ]}
      onPick={onMenu}
    />
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
        <Drawer placement="bottom" open={more} onClose={() => setMore(false)} title={t('nav.more')} styles={{ body: { padding: 8 } }}>
          <ul className="tj-menu tj-menu-light" role="menu" aria-label={t('nav.more')}>
            {rest.map((n) => (
              <li key={n.key} role="none">
                <button type="button" role="menuitem" className={navKey === n.key ? 'on' : undefined} aria-current={navKey === n.key ? 'page' : undefined} onClick={() => {
                  setMore(false);
                  navigate(n.path);
                }}>
                  {n.icon}
                  <span>{t(n.label)}</span>
                </button>
              </li>
            ))}
            <li role="separator" className="tj-menu-divider" />
            <li role="none">
              <button type="button" role="menuitem" onClick={() => {
                setMore(false);
                setAccount(true);
              }}>
                <LockOutlined />
                <span>{t('nav.account')}</span>
              </button>
            </li>
            <li role="none">
              <button type="button" role="menuitem" className="danger" onClick={() => {
                setMore(false);
                onMenu('logout');
              }}>
                <LogoutOutlined />
                <span>{t('nav.logout')}</span>
              </button>
            </li>
          </ul>
        </Drawer>
      </div>
      </>
    );
  }

  return (
    <>
    {portal}
    {accountModal}
    <div className="tj-desktop">
      <aside className="tj-sider">
        <div className="tj-sider-brand">
          <span className="tj-brand">
            <span className="tj-brand-mark">铁</span>
            <span className="tj-sider-label">{t('app.name')}</span>
          </span>
        </div>
        <nav aria-label={t('nav.main')} style={{ flex: 1 }}>
          <ul className="tj-menu tj-menu-dark">
            {nav.map((n) => (
              <li key={n.key}>
                <a
                  href={n.path}
                  className={navKey === n.key ? 'on' : undefined}
                  aria-current={navKey === n.key ? 'page' : undefined}
                  title={t(n.label)}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    navigate(n.path);
                  }}
                >
                  {n.icon}
                  <span className="tj-sider-label" data-testid={`nav-${n.key}`}>{t(n.label)}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="tj-break tj-sider-label tj-sider-org">{me.org.name}</div>
      </aside>
      <div className="tj-main">
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
      </div>
    </div>
    </>
  );
}

/** The user's menu under the avatar: who is logged in, the account page, log out. */
function UserMenu({
  button,
  who,
  label,
  items,
  onPick,
  dark,
}: {
  button: ReactNode;
  who: ReactNode;
  label: string;
  items: { key: string; icon: ReactNode; label: ReactNode; danger?: boolean }[];
  onPick: (key: string) => void;
  dark: boolean;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        box.current?.querySelector<HTMLElement>('button')?.focus();
      }
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    box.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);
  return (
    <div className="tj-usermenu" ref={box}>
      <button
        type="button"
        className={`tj-btn tj-btn-text tj-usermenu-btn ${dark ? 'dark' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        data-testid="user-menu"
        onClick={() => setOpen((o) => !o)}
      >
        {button}
      </button>
      {open && (
        <div className="tj-usermenu-pop">
          <div className="tj-usermenu-who">{who}</div>
          <ul className="tj-menu tj-menu-light" role="menu" id={id} aria-label={label}>
            {items.map((it) => (
              <li key={it.key} role="none">
                <button
                  type="button"
                  role="menuitem"
                  className={it.danger ? 'danger' : undefined}
                  onClick={() => {
                    setOpen(false);
                    onPick(it.key);
                  }}
                >
                  {it.icon}
                  <span>{it.label}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
