// The "waiting to send" indicator in the header (issue 15 part 5): shown only while the
// logged-in user has queued visits. A cloud icon with the count; opening it lists each
// queued visit (company, when it was logged) as waiting for a connection or refused by the
// server with the reason, to send now or remove. It also names the user to the queue,
// which starts sending their waiting visits (app start, `online`, every 30 s).
import { useCallback, useEffect, useState } from 'react';
import { Badge, Button, Drawer, List, Popconfirm, Space, Tag, Typography } from '../ui';
import { CloudUploadOutlined } from '@ant-design/icons';
import { ApiError } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useErrText } from '../errText';
import { dismiss, flush, listQueued, setQueueLanguage, setQueueUser, subscribe, type QueuedVisit } from './queue';

/** The queued visits of the logged-in user, kept up to date. */
export function useQueued(): QueuedVisit[] {
  const { me } = useAuth();
  const [items, setItems] = useState<QueuedVisit[]>([]);
  const load = useCallback(() => {
    if (!me) return setItems([]);
    listQueued(me.id).then(setItems, () => setItems([]));
  }, [me]);
  useEffect(() => {
    load();
    return subscribe(load);
  }, [load]);
  return items;
}

export function QueuedList({ items }: { items: QueuedVisit[] }) {
  const { t, fmt } = useI18n();
  const errText = useErrText();
  return (
    <List
      data-testid="queue-list"
      dataSource={items}
      locale={{ emptyText: t('queue.empty') }}
      renderItem={(v) => (
        <List.Item
          data-testid="queue-item"
          data-state={v.state}
          actions={[
            <Popconfirm key="d" title={t('queue.dismissConfirm')} onConfirm={() => dismiss(v.key)} okText={t('queue.dismiss')}>
              <Button size="small" danger type="link" data-testid="queue-dismiss">{t('queue.dismiss')}</Button>
            </Popconfirm>,
          ]}
        >
          <List.Item.Meta
            title={<span className="tj-break">{v.company_name}</span>}
            description={
              <Space direction="vertical" size={2}>
                <span>{t('queue.queuedAt', { t: fmt.dateTime(String(v.body.at ?? v.queued_at)) })}</span>
                {v.state === 'waiting' ? (
                  <Tag color="gold">{t('queue.waiting')}</Tag>
                ) : (
                  <span>
                    <Tag color="red">{t('queue.refused')}</Tag>
                    <Typography.Text type="danger" data-testid="queue-reason">
                      {v.error ? errText(new ApiError(v.error.status, v.error.code, v.error.message)) : ''}
                    </Typography.Text>
                  </span>
                )}
              </Space>
            }
          />
        </List.Item>
      )}
    />
  );
}

export default function QueueBadge({ mobile }: { mobile: boolean }) {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  const items = useQueued();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    setQueueLanguage(lang === 'zh' ? 'zh-CN' : 'en');
  }, [lang]);
  useEffect(() => {
    setQueueUser(me?.id ?? null);
    return () => setQueueUser(null);
  }, [me?.id]);
  if (!items.length) return null;
  const refused = items.some((v) => v.state === 'refused');
  return (
    <>
      <Badge count={items.length} size="small" color={refused ? '#cf1322' : '#faad14'} offset={[-4, 4]}>
        <Button
          type="text"
          aria-label={t('queue.badge', { n: items.length })}
          title={t('queue.badge', { n: items.length })}
          data-testid="queue-badge"
          data-count={items.length}
          icon={<CloudUploadOutlined style={{ fontSize: 20, color: mobile ? '#fff' : undefined }} />}
          onClick={() => setOpen(true)}
        />
      </Badge>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        placement={mobile ? 'bottom' : 'right'}
        title={t('queue.title')}
        extra={
          <Button size="small" type="primary" onClick={() => void flush()} data-testid="queue-send-now">
            {t('queue.sendNow')}
          </Button>
        }
      >
        <QueuedList items={items} />
      </Drawer>
    </>
  );
}
