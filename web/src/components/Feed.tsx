import { useState } from 'react';
import { Avatar, Button, Empty, Input, List, Skeleton, Space, Tag, toast } from '../ui';
import { CrownFilled, HeartFilled, HeartOutlined, MessageOutlined } from '@ant-design/icons';
import { api, get, type List as ListOf } from '../api';
import { useI18n } from '../i18n';
import { useAsync } from '../hooks';
import { ErrorBox, useErrText } from './common';
import { HelpBookButton, type HelpBooking } from './Bookings';

export interface FeedComment {
  id: number;
  user_id: number;
  display_name: string;
  body: string;
  at: string;
}

export interface FeedItem {
  kind: 'review' | 'deal';
  id: number;
  date: string;
  item: {
    rep_id: number;
    display_name: string;
    wins?: string;
    problems?: string;
    help_wanted?: string;
    company_id?: number;
    company_name?: string;
    amount?: number;
    /** For a manager: the share's "help wanted" as a proposed 陪访 (issue 14.4). */
    help_booking?: HelpBooking;
  };
  comments: FeedComment[];
  likes: number;
  liked: boolean;
}

/** Comments and likes on one share or deal. */
export function Reactions({ item, onChange }: { item: FeedItem; onChange: (i: FeedItem) => void }) {
  const { t, fmt } = useI18n();
  const errText = useErrText();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(item.comments.length > 0);
  const like = async () => {
    try {
      const r = await api<{ liked: boolean; likes: number }>('POST', `/feed/${item.kind}/${item.id}/like`);
      onChange({ ...item, liked: r.liked, likes: r.likes });
    } catch (e) {
      toast.error(errText(e));
    }
  };
  const send = async () => {
    const body = text.trim();
    if (!body) return;
    setBusy(true);
    try {
      const c = await api<{ id: number; user_id: number; body: string }>('POST', `/feed/${item.kind}/${item.id}/comments`, { body });
      onChange({ ...item, comments: [...item.comments, { ...c, display_name: t('customers.me'), at: new Date().toISOString() }] });
      setText('');
    } catch (e) {
      toast.error(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ marginTop: 8 }}>
      <Space size={4}>
        <Button size="small" type="text" onClick={like} icon={item.liked ? <HeartFilled style={{ color: '#eb2f96' }} /> : <HeartOutlined />} data-testid="feed-like">
          {item.likes || ''}
        </Button>
        <Button size="small" type="text" icon={<MessageOutlined />} onClick={() => setOpen((o) => !o)}>
          {item.comments.length || ''}
        </Button>
      </Space>
      {open && (
        <div style={{ background: '#fafafa', borderRadius: 10, padding: '6px 10px', marginTop: 4 }}>
          {item.comments.map((c) => (
            <div key={c.id} style={{ fontSize: 13, margin: '4px 0' }} className="tj-break">
              <b>{c.display_name}</b> <span className="tj-muted" style={{ fontSize: 11 }}>{fmt.time(c.at)}</span>
              <div className="tj-pre">{c.body}</div>
            </div>
          ))}
          <div className="tj-compact" style={{ marginTop: 4 }}>
            <Input size="small" aria-label={t('feed.commentPh')} value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} onPressEnter={send} placeholder={t('feed.commentPh')} data-testid="feed-comment-input" />
            <Button size="small" type="primary" loading={busy} onClick={send} data-testid="feed-comment-send">
              {t('feed.send')}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

/** The team feed: evening shares and signed deals, with comments and likes. */
export default function Feed({ asOf, days = 3, teamId }: { asOf: string; days?: number; teamId?: number }) {
  const { t, fmt } = useI18n();
  const data = useAsync(() => get<ListOf<FeedItem>>('/feed', { as_of: asOf, days, team_id: teamId, limit: 30 }), [asOf, days, teamId]);
  const [more, setMore] = useState(false);
  const items = data.data?.items ?? [];
  const cursor = data.data?.next_cursor ?? null;
  const update = (i: FeedItem) => data.setData({ items: items.map((x) => (x.kind === i.kind && x.id === i.id ? i : x)), next_cursor: cursor });
  // Older entries, a page at a time.
  const loadMore = () => {
    if (!cursor) return;
    setMore(true);
    get<ListOf<FeedItem>>('/feed', { as_of: asOf, days, team_id: teamId, limit: 30, cursor }).then(
      (page) => {
        data.setData({ items: [...items, ...page.items], next_cursor: page.next_cursor ?? null });
        setMore(false);
      },
      () => setMore(false),
    );
  };
  if (data.loading) return <Skeleton active />;
  if (data.data === null) return null;
  return (
    <>
      <ErrorBox error={data.error} />
      {!items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('feed.empty')} />
      ) : (
        <List
          dataSource={items}
          data-testid="feed"
          renderItem={(it) => (
            <List.Item key={`${it.kind}${it.id}`} style={{ display: 'block' }} data-testid={`feed-${it.kind}`}>
              <div style={{ display: 'flex', gap: 10 }}>
                <Avatar style={{ background: it.kind === 'deal' ? '#faad14' : '#c8281e', flex: 'none' }} icon={it.kind === 'deal' ? <CrownFilled /> : undefined}>
                  {it.kind === 'review' ? it.item.display_name.slice(0, 1) : null}
                </Avatar>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <Space size={6} wrap>
                    <b className="tj-break">{it.item.display_name}</b>
                    <span className="tj-muted" style={{ fontSize: 12 }}>{fmt.date(it.date)}</span>
                    {it.kind === 'deal' && <Tag color="gold">{t('feed.signed')}</Tag>}
                  </Space>
                  {it.kind === 'deal' ? (
                    <div className="tj-break" style={{ marginTop: 4 }}>
                      {t('feed.dealText', { company: it.item.company_name ?? '' })} <b style={{ color: '#237804' }}>{fmt.money(it.item.amount ?? 0)}</b>
                    </div>
                  ) : (
                    <div className="tj-break" style={{ marginTop: 4, fontSize: 13 }}>
                      {(
                        [
                          ['review.wins', it.item.wins, '#237804'],
                          ['review.problems', it.item.problems, '#ad4e00'],
                          ['review.help', it.item.help_wanted, '#c8281e'],
                        ] as const
                      ).map(([k, v, color]) =>
                        v ? (
                          <div key={k} style={{ marginBottom: 4 }}>
                            <span style={{ color, fontWeight: 600 }}>{t(k)}{t('common.colon')}</span>
                            <span className="tj-pre">{v}</span>
                            {k === 'review.help' && it.item.help_booking && (
                              <div style={{ marginTop: 4 }}>
                                <HelpBookButton help={it.item.help_booking} repName={it.item.display_name} helpText={v} />
                              </div>
                            )}
                          </div>
                        ) : null,
                      )}
                    </div>
                  )}
                  <Reactions item={it} onChange={update} />
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
      {cursor && (
        <Button block loading={more} onClick={loadMore} data-testid="feed-more" style={{ marginTop: 8 }}>
          {t('customers.loadMore')}
        </Button>
      )}
    </>
  );
}
