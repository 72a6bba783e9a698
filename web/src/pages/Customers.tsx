import { useEffect, useState } from 'react';
import { Button, Card, Col, Input, List, Row, Select, Space, Table, Tag, Typography } from '../ui';
import { PlusOutlined, SearchOutlined, CheckOutlined, PhoneOutlined } from '@ant-design/icons';
import { COMPANY_STATUSES, get, type Company, type List as ListOf } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useDebounced, useIsMobile, useUsers } from '../hooks';
import { useRouter } from '../router';
import { lazyAntd } from '../antd';
import { ErrorBox, StatusTag } from '../components/common';
import { FitTag, Later, SOURCES } from './companyParts';

// The company form is antd's Form: fetched with antd when 新增客户 is first tapped (issue 15).
const CompanyForm = lazyAntd(() => import('./CompanyForm'));

const SORTS = ['-updated_at', '-last_visit_at', 'last_visit_at', '-visit_count', 'name', 'industry_rank', '-budget_capacity', '-created_at'];
export { SOURCES };

export default function Customers() {
  const me = useMe();
  const { t, fmt } = useI18n();
  const { navigate, query } = useRouter();
  const mobile = useIsMobile();
  const { users, byId } = useUsers();
  const [q, setQ] = useState(query.get('q') ?? '');
  const dq = useDebounced(q, 300);
  const [status, setStatus] = useState<string | undefined>(query.get('status') ?? undefined);
  const [industry, setIndustry] = useState('');
  const dIndustry = useDebounced(industry, 300);
  // A rep's list starts from their own companies (issue 15); 全部 and 公海 are one tap away.
  const [owner, setOwner] = useState<string>(query.get('owner') ?? (me.role === 'rep' ? 'mine' : 'all'));
  const [sort, setSort] = useState('-updated_at');
  const [items, setItems] = useState<Company[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [adding, setAdding] = useState(false);
  const [tick, setTick] = useState(0);

  const params = (c?: string | null) => ({
    q: dq.trim(),
    status,
    industry: dIndustry.trim(),
    owner_id: owner === 'all' ? undefined : owner === 'mine' ? me.id : owner,
    sort,
    limit: 20,
    cursor: c ?? undefined,
  });

  useEffect(() => {
    let stale = false;
    setLoading(true);
    setError(null);
    get<ListOf<Company>>('/companies', params())
      .then((l) => {
        if (stale) return;
        setItems(l.items);
        setCursor(l.next_cursor);
      })
      .catch((e) => !stale && setError(e))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dq, status, dIndustry, owner, sort, tick]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const l = await get<ListOf<Company>>('/companies', params(cursor));
      setItems((xs) => [...xs, ...l.items.filter((c) => !xs.some((x) => x.id === c.id))]);
      setCursor(l.next_cursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  const ownerName = (c: Company) => (c.owner_id === null ? <Tag color="purple">{t('pool.tag')}</Tag> : c.owner_id === me.id ? t('customers.me') : byId.get(c.owner_id)?.display_name ?? `#${c.owner_id}`);

  const ownerOptions = [
    { value: 'all', label: t('customers.ownerAll') },
    { value: 'mine', label: t('customers.ownerMine') },
    { value: 'pool', label: t('customers.ownerPool') },
    ...(me.role !== 'rep' ? users.filter((u) => u.role === 'rep').map((u) => ({ value: String(u.id), label: u.display_name })) : []),
  ];

  const filters = (
    <Row gutter={[8, 8]}>
      <Col xs={24} md={8}>
        <Input
          size="large"
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('customers.search')}
          aria-label={t('customers.search')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="customers-search"
        />
      </Col>
      <Col xs={12} md={4}>
        <Select
          size="large"
          allowClear
          style={{ width: '100%' }}
          placeholder={t('customers.status')}
          aria-label={t('customers.status')}
          value={status}
          onChange={setStatus}
          options={COMPANY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as Key) }))}
        />
      </Col>
      <Col xs={12} md={4}>
        <Select size="large" style={{ width: '100%' }} value={owner} onChange={(v) => v && setOwner(v)} options={ownerOptions} aria-label={t('customers.owner')} data-testid="customers-owner" />
      </Col>
      <Col xs={12} md={4}>
        <Input size="large" allowClear placeholder={t('customers.industry')} aria-label={t('customers.industry')} value={industry} onChange={(e) => setIndustry(e.target.value)} />
      </Col>
      <Col xs={12} md={4}>
        <Select
          size="large"
          style={{ width: '100%' }}
          value={sort}
          onChange={(v) => v && setSort(v)}
          aria-label={t('sort.label')}
          options={SORTS.map((s) => ({ value: s, label: t(`sort.${s}` as Key) }))}
        />
      </Col>
    </Row>
  );

  const qual = (c: Company) => (
    <Space size={2}>
      {(['need', 'budget', 'payer_met'] as const).map((k) => (
        <Tag key={k} color={c[k] ? 'green' : undefined} style={{ marginInlineEnd: 2 }} icon={c[k] ? <CheckOutlined /> : undefined}>
          {t(`qual.${k}` as Key)}
        </Tag>
      ))}
    </Space>
  );

  return (
    <div className="tj-card-gap">
      <Card size="small">
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginBottom: 8 }}>
          <Typography.Text type="secondary" style={{ flex: 1 }}>{t('customers.hint')}</Typography.Text>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="customers-add">
            {t('customers.add')}
          </Button>
        </div>
        {filters}
      </Card>
      <ErrorBox error={error} />
      {mobile ? (
        <List
          data-testid="customers-list"
          loading={loading && !items.length}
          dataSource={items}
          locale={{ emptyText: t('customers.empty') }}
          renderItem={(c) => (
            <List.Item className="tj-li" style={{ display: 'block', padding: 0, border: 0 }}>
            <Card size="small" className="tj-card-hover" style={{ marginBottom: 8, cursor: 'pointer', width: '100%' }} onClick={() => navigate(`/customers/${c.id}`)} data-testid="customer-row">
              <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
                <div className="tj-list-item-title" style={{ flex: 1, minWidth: 0 }}>{c.name}</div>
                <StatusTag status={c.status} />
                <FitTag fit={c.fit} />
              </div>
              <div className="tj-muted" style={{ fontSize: 12, margin: '4px 0 6px' }}>
                {[c.industry, c.industry_rank ? t('customers.rankN', { n: c.industry_rank }) : '', c.region].filter(Boolean).join(' · ') || '—'}
              </div>
              <div style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
                {qual(c)}
                <span className="tj-muted" style={{ fontSize: 12, marginLeft: 'auto' }}>
                  {t('customers.visitsN', { n: c.visit_count })}
                  {c.last_visit_at ? ` · ${fmt.date(c.last_visit_at)}` : ''}
                </span>
              </div>
              <CallLink c={c} />
            </Card>
            </List.Item>
          )}
        />
      ) : (
        <Card size="small" styles={{ body: { padding: 0 } }}>
          <Table<Company>
            data-testid="customers-list"
            rowKey="id"
            loading={loading && !items.length}
            dataSource={items}
            pagination={false}
            locale={{ emptyText: t('customers.empty') }}
            onRow={(c) => ({ onClick: () => navigate(`/customers/${c.id}`), style: { cursor: 'pointer' }, 'data-testid': 'customer-row' } as never)}
            columns={[
              { title: t('customers.name'), dataIndex: 'name', render: (v: string) => <span className="tj-list-item-title">{v}</span> },
              { title: t('customers.status'), dataIndex: 'status', width: 90, render: (s) => <StatusTag status={s} /> },
              { title: t('customers.qualification'), key: 'q', width: 220, render: (_, c) => qual(c) },
              {
                title: t('customers.industry'),
                key: 'ind',
                render: (_, c) => (
                  <span>
                    {c.industry || '—'}
                    {c.industry_rank ? <span className="tj-muted"> · {t('customers.rankN', { n: c.industry_rank })}</span> : null}
                  </span>
                ),
              },
              { title: t('customers.budget'), dataIndex: 'budget_capacity', align: 'right', render: (v) => fmt.money(v) },
              { title: t('customers.visits'), dataIndex: 'visit_count', align: 'right', width: 70 },
              { title: t('customers.lastVisit'), dataIndex: 'last_visit_at', width: 110, render: (v) => fmt.date(v) },
              { title: t('customers.owner'), key: 'o', width: 110, render: (_, c) => ownerName(c) },
              { title: t('customers.call'), key: 'call', width: 150, render: (_, c) => <CallLink c={c} /> },
            ]}
          />
        </Card>
      )}
      <div style={{ textAlign: 'center' }}>
        {cursor ? (
          <Button onClick={more} loading={loading} data-testid="customers-more">
            {t('customers.loadMore')}
          </Button>
        ) : items.length ? (
          <span className="tj-muted">{t('customers.end', { n: items.length })}</span>
        ) : null}
      </div>
      <Later when={adding}>
        <CompanyForm
          open={adding}
          onClose={() => setAdding(false)}
          onSaved={(c) => {
            setAdding(false);
            setTick((x) => x + 1);
            navigate(`/customers/${c.id}`);
          }}
        />
      </Later>
    </div>
  );
}

/** Tap-to-call: the payer's phone (else the first contact's) as a tel: link; the row's click is not triggered. */
function CallLink({ c }: { c: Company }) {
  const { t } = useI18n();
  if (!c.call) return null;
  return (
    <a
      href={`tel:${c.call.phone.replace(/[^0-9+]/g, '')}`}
      onClick={(e) => e.stopPropagation()}
      className="tj-tel"
      data-testid="customer-call"
      style={{ display: 'inline-block', marginTop: 6, fontSize: 13 }}
    >
      {/* The link's name is what it shows, after 拨打/Call (axe: label-content-name-mismatch). */}
      <PhoneOutlined /> <span className="tj-sr-only">{t('customer.call')} </span>
      {c.call.name}
      {c.call.is_payer ? ` (${t('contact.payer')})` : ''} {c.call.phone}
    </a>
  );
}
