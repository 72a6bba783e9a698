import { Suspense, useEffect, useState, type ComponentProps, type ReactNode } from 'react';
import { Button, List, Space, Tag, Typography } from '../ui';
import { lazyAntd } from '../antd';
import { CalendarOutlined, DeleteOutlined, EditOutlined, PauseCircleOutlined, RightOutlined, SwapOutlined } from '@ant-design/icons';
import type { Alert, User } from '../api';
import { BookingModal } from './Bookings';
import { useI18n, type Key } from '../i18n';
import { useRouter } from '../router';
import { useCompanies } from '../companyNames';

export const TIME_SINK_KINDS = ['time_sink_last_month', 'sign_or_drop', 'not_effective', 'find_payer'];

const kindColor: Record<string, string> = {
  time_sink_last_month: 'red',
  sign_or_drop: 'volcano',
  not_effective: 'orange',
  find_payer: 'gold',
  nurture_due: 'blue',
  low_new_share: 'purple',
  below_quota: 'magenta',
  harvest_window: 'green',
  behind_pace: 'geekblue',
};

export function AlertKindTag({ kind }: { kind: string }) {
  const { t } = useI18n();
  const k = `alert.${kind}` as Key;
  const label = t(k);
  return <Tag color={kindColor[kind] ?? 'default'}>{label === k ? kind : label}</Tag>;
}

/** What an alert offers (the server decides by kind and role: `actions`). */
type Act = 'log_visit' | 'drop' | 'nurture' | 'book_accompanied' | 'nudge' | 'reassign';

const StatusModalImpl = lazyAntd(() => import('./AlertStatusModal'));

/** Drop or nurture (the reason and the revisit date): its form's code is fetched the first time it opens. */
function StatusModal(p: ComponentProps<typeof StatusModalImpl>) {
  const [used, setUsed] = useState(!!p.target);
  useEffect(() => {
    if (p.target) setUsed(true);
  }, [p.target]);
  if (!used && !p.target) return null;
  return (
    <Suspense fallback={null}>
      <StatusModalImpl {...p} />
    </Suspense>
  );
}

export default function AlertList({ alerts, users, testId, onChanged }: { alerts: Alert[]; users?: Map<number, User>; testId?: string; onChanged?: () => void }) {
  const { t } = useI18n();
  const { navigate } = useRouter();
  // Names the answer did not carry only (the views name their alerts' companies: no request each).
  const companies = useCompanies(alerts.filter((a) => !(typeof a.company_name === 'string' && a.company_name)).map((a) => a.company_id));
  const [status, setStatus] = useState<{ alert: Alert; act: 'drop' | 'nurture' } | null>(null);
  const [book, setBook] = useState<Alert | null>(null);
  const button = (a: Alert, act: Act) => {
    const visitLink = a.company_id ? `/visit?company=${a.company_id}` : '/visit';
    switch (act) {
      case 'log_visit':
        return (
          <Button key={act} size="small" type="link" icon={<EditOutlined />} data-action={act} onClick={() => navigate(visitLink)}>
            {t('alerts.logVisit')}
          </Button>
        );
      case 'drop':
        return (
          <Button key={act} size="small" type="text" danger icon={<DeleteOutlined />} data-action={act} onClick={() => setStatus({ alert: a, act: 'drop' })}>
            {t('alerts.drop')}
          </Button>
        );
      case 'nurture':
        return (
          <Button key={act} size="small" type="text" icon={<PauseCircleOutlined />} data-action={act} onClick={() => setStatus({ alert: a, act: 'nurture' })}>
            {t('alerts.nurture')}
          </Button>
        );
      case 'book_accompanied':
        return (
          <Button key={act} size="small" type="link" icon={<CalendarOutlined />} data-action={act} onClick={() => setBook(a)}>
            {t('alerts.book')}
          </Button>
        );
      case 'reassign':
        return a.company_id ? (
          <Button key={act} size="small" type="text" icon={<SwapOutlined />} data-action={act} onClick={() => navigate(`/customers/${a.company_id}`)}>
            {t('alerts.reassign')}
          </Button>
        ) : null;
      default:
        return null;  // nudge: offered by the server; the notifications work delivers it
    }
  };
  return (
    <>
      <StatusModal
        target={status}
        onClose={() => setStatus(null)}
        onDone={() => {
          setStatus(null);
          onChanged?.();
        }}
      />
      {/* Mounted when opened: closed, it would load the users and teams with every alert list. */}
      {book && <BookingModal open presetRep={book.rep_id ?? undefined} presetCompany={book.company_id ?? undefined} onClose={() => setBook(null)} onSaved={() => setBook(null)} />}
      <List
        data-testid={testId}
        dataSource={alerts}
        locale={{ emptyText: t('alerts.none') }}
        renderItem={(a, i) => {
          const c = a.company_id ? companies.get(a.company_id) : undefined;
          const name = (typeof a.company_name === 'string' && a.company_name) || c?.name;
          const rep = a.rep_id && users ? users.get(a.rep_id) : undefined;
          const acts = Array.isArray(a.actions) ? (a.actions as Act[]) : null;
          const open = a.company_id ? (
            <Button key="o" size="small" type="text" icon={<RightOutlined />} onClick={() => navigate(`/customers/${a.company_id}`)} aria-label={t('common.open')} />
          ) : null;
          const actions = acts
            ? [...acts.map((x) => button(a, x)), open].filter(Boolean)
            : a.company_id
              ? [button(a, 'log_visit'), open]
              : undefined;
          return (
            <List.Item key={i} data-kind={a.kind} actions={actions as ReactNode[] | undefined}>
              <List.Item.Meta
                title={
                  <Space size={6} wrap>
                    <AlertKindTag kind={a.kind} />
                    {name && <Typography.Text strong className="tj-break">{name}</Typography.Text>}
                    {rep && <Typography.Text type="secondary">· {rep.display_name}</Typography.Text>}
                  </Space>
                }
                description={<span className="tj-break">{a.message}</span>}
              />
            </List.Item>
          );
        }}
      />
    </>
  );
}
