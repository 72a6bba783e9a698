// The bell on every page (SPEC §7): the unread count, and the caller's latest
// notifications; opening one marks it read and goes to its page. A popover on
// the desktop, a drawer from the top on a phone. Polls every minute and on
// every page change.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Badge, Button, Drawer, Empty, List, Typography } from '../ui';
import { BellOutlined } from '@ant-design/icons';
import { api, get } from '../api';
import { useI18n } from '../i18n';
import { useRouter } from '../router';

export interface Notification {
  id: number;
  kind: string;
  title: string;
  message: string;
  link: string;
  created_at: string;
  read_at: string | null;
}
interface NotificationList {
  items: Notification[];
  next_cursor: string | null;
  unread_count: number;
}

export default function Bell({ mobile }: { mobile: boolean }) {
  const { t, fmt, lang } = useI18n();
  const { path, navigate } = useRouter();
  const [open, setOpen] = useState(false);
  const [data, setData] = useState<NotificationList | null>(null);

  const load = useCallback(() => {
    get<NotificationList>('/notifications', { limit: 20 }).then(setData, () => undefined);
  }, []);
  useEffect(() => {
    load();
    const id = window.setInterval(load, 60000);
    return () => window.clearInterval(id);
  }, [load, path, lang]);

  const openOne = async (n: Notification) => {
    setOpen(false);
    if (!n.read_at) await api('POST', '/notifications/read', { ids: [n.id] }).catch(() => undefined);
    load();
    if (n.link && n.link.startsWith('/')) navigate(n.link);
  };
  const readAll = async () => {
    await api('POST', '/notifications/read', { all: true }).catch(() => undefined);
    load();
  };

  const unread = data?.unread_count ?? 0;
  const list = (
    <div className="tj-bell-list" data-testid="bell-list" style={{ width: mobile ? '100%' : 380 }}>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '4px 4px 8px' }}>
        <Typography.Text strong>{t('bell.title')}</Typography.Text>
        <Button size="small" type="link" disabled={unread === 0} onClick={readAll} data-testid="bell-read-all">
          {t('bell.readAll')}
        </Button>
      </div>
      {data && data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.empty')} />
      ) : (
        <List
          size="small"
          style={{ maxHeight: mobile ? '70vh' : 440, overflowY: 'auto' }}
          dataSource={data?.items ?? []}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              onClick={() => openOne(n)}
              data-testid="bell-item"
              style={{ cursor: 'pointer', alignItems: 'flex-start', background: n.read_at ? undefined : '#fff7f0', borderRadius: 8, padding: '8px 10px' }}
            >
              <div style={{ minWidth: 0, width: '100%' }}>
                <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                  <Typography.Text strong={!n.read_at} style={{ fontSize: 13 }}>
                    {!n.read_at && <span className="tj-bell-dot" />}
                    {n.title}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                    {fmt.dateTime(n.created_at)}
                  </Typography.Text>
                </div>
                <div className="tj-break" style={{ fontSize: 13, color: '#434343', marginTop: 2 }}>{n.message}</div>
              </div>
            </List.Item>
          )}
        />
      )}
    </div>
  );

  const button = (
    <Button
      type="text"
      aria-label={t('bell.title')}
      data-testid="bell"
      aria-expanded={open}
      onClick={() => setOpen((o) => !o)}
      style={{ height: 40, width: 40, padding: 0, color: mobile ? '#fff' : undefined }}
    >
      <Badge count={unread} size="small" overflowCount={99} data-testid="bell-count" className={mobile ? 'tj-bell-badge-dark' : undefined}>
        <BellOutlined style={{ fontSize: 20, color: mobile ? '#fff' : '#595959' }} />
      </Badge>
    </Button>
  );

  if (mobile)
    return (
      <>
        {button}
        <Drawer placement="top" open={open} onClose={() => setOpen(false)} label={t('bell.title')} styles={{ body: { padding: 12 } }}>
          {list}
        </Drawer>
      </>
    );
  return (
    <Popup open={open} onClose={() => setOpen(false)} content={list}>
      {button}
    </Popup>
  );
}

/** The desktop's popover under the bell: closes on a press outside it and on Esc. */
function Popup({ open, onClose, content, children }: { open: boolean; onClose: () => void; content: ReactNode; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: Event) => {
      if (box.current && !box.current.contains(e.target as Node)) onClose();
    };
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open, onClose]);
  return (
    <div className="tj-usermenu" ref={box}>
      {children}
      {open && <div className="tj-usermenu-pop tj-bell-pop">{content}</div>}
    </div>
  );
}
