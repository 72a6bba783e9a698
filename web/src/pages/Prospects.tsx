import { useState } from 'react';
import { Button, Card, Col, Empty, Row, Select, Skeleton, Space, Tag, Typography, toast } from '../ui';
import { AimOutlined, EditOutlined, FlagOutlined } from '@ant-design/icons';
import { api, get, type Company, type CompanyStatus, type List as ListOf, type RepFit } from '../api';
import { FitTag, IndustryFilter } from './companyParts';
import { useMe } from '../auth';
import { useI18n } from '../i18n';
import { useAsync } from '../hooks';
import { useRouter } from '../router';
import { todayIn } from '../dates';
import { ErrorBox, StatusTag, useAction } from '../components/common';
import { useClaimRefusal } from '../components/PoolErrors';
import { forgetCompany } from '../companyNames';

/** One suggestion of GET /api/v1/prospects: the company's own fields come with it (no further requests). */
export interface Prospect {
  company_id: number;
  company_name: string;
  industry: string;
  industry_rank: number | null;
  budget_capacity: number | null;
  owner_id: number | null;
  status: CompanyStatus;
  competitor: string;
  competitor_contract_end: string | null;
  score: number;
  reference_company_id: number | null;
  reference_company_name: string | null;
  reference_rank: number | null;
  reference_order: number | null;
  reasons: string[];
  reason_codes: string[];
  fit?: RepFit;
}

/**
 * The reasons in words, from the reason codes src/method decides (the rule stays there) and the
 * suggestion's own fields; a code this UI does not know falls back to the server's sentence.
 */
export function useReasonWords() {
  const { t, fmt } = useI18n();
  return (p: Prospect): string[] =>
    p.reason_codes.map((code, i) => {
      const fallback = p.reasons[i] ?? code;
      switch (code) {
        case 'harvest_window':
          return t('prospects.why.harvest_window', { competitor: p.competitor || t('prospects.aCompetitor'), date: fmt.date(p.competitor_contract_end) });
        case 'rank_adjacent_1':
        case 'rank_adjacent_2':
          if (p.reference_rank === null || p.industry_rank === null) return fallback;
          return t('prospects.why.rank_adjacent', {
            ref: p.reference_company_name ?? '',
            refRank: p.reference_rank,
            rank: p.industry_rank,
            distance: Math.abs(p.industry_rank - p.reference_rank),
            industry: p.industry,
          });
        case 'uses_competitor':
          return t('prospects.why.uses_competitor', { competitor: p.competitor });
        case 'budget_fit':
          return t('prospects.why.budget_fit', { budget: fmt.money(p.budget_capacity), order: fmt.money(p.reference_order) });
        case 'payer_known':
          return t('prospects.why.payer_known');
        case 'style_fit':
          return t('prospects.why.style_fit');
        default:
          return fallback;
      }
    });
}

type Competitor = 'all' | 'true' | 'false';

export default function Prospects() {
  const me = useMe();
  const { t, tz } = useI18n();
  const { navigate } = useRouter();
  const claimRefusal = useClaimRefusal();
  const reasonWords = useReasonWords();
  const { busy, run } = useAction();
  const today = todayIn(tz);
  const [industry, setIndustry] = useState('');
  const [competitor, setCompetitor] = useState<Competitor>('all');
  const [near, setNear] = useState<'all' | '1'>('all');
  const [limit, setLimit] = useState(20);
  const [claiming, setClaiming] = useState<number | null>(null);
  const data = useAsync(
    () =>
      get<ListOf<Prospect>>('/prospects', {
        as_of: today,
        limit,
        industry: industry || undefined,
        competitor: competitor === 'all' ? undefined : competitor,
        max_rank_distance: near === 'all' ? undefined : near,
      }),
    [today, limit, industry, competitor, near],
  );
  const items = data.data?.items ?? [];

  const claim = (p: Prospect) => {
    setClaiming(p.company_id);
    return run(
      async () => {
        const c = await api<Company>('POST', `/companies/${p.company_id}/claim`);
        forgetCompany(p.company_id);
        data.setData({
          ...data.data!,
          items: items.map((x) => (x.company_id === p.company_id ? { ...x, owner_id: c.owner_id, status: c.status } : x)),
        });
        toast.success(t('customer.claimed'));
      },
      (e) => claimRefusal(e),
    ).finally(() => setClaiming(null));
  };

  return (
    <div className="tj-card-gap">
      <Card size="small">
        <Space align="start">
          <AimOutlined style={{ fontSize: 22, color: '#c8281e', marginTop: 2 }} />
          <div>
            <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('prospects.title')}</Typography.Title>
            <div className="tj-muted" style={{ fontSize: 13 }}>{t('prospects.hint')}</div>
          </div>
        </Space>
        <Row gutter={[8, 8]} style={{ marginTop: 10 }} data-testid="prospects-filters">
          <Col xs={24} md={10}>
            <label className="tj-muted" style={{ fontSize: 12, display: 'block' }} htmlFor="prospects-industry">{t('prospects.filterIndustry')}</label>
            <IndustryFilter id="prospects-industry" value={industry} onChange={(v) => setIndustry(v)} style={{ width: '100%' }} />
          </Col>
          <Col xs={12} md={7}>
            <label className="tj-muted" style={{ fontSize: 12, display: 'block' }} htmlFor="prospects-near">{t('prospects.filterNear')}</label>
            <Select
              id="prospects-near"
              style={{ width: '100%' }}
              value={near}
              onChange={(v) => v && setNear(v)}
              data-testid="prospects-near"
              options={[
                { value: 'all', label: t('prospects.nearAll') },
                { value: '1', label: t('prospects.near1') },
              ]}
            />
          </Col>
          <Col xs={12} md={7}>
            <label className="tj-muted" style={{ fontSize: 12, display: 'block' }} htmlFor="prospects-competitor">{t('prospects.filterCompetitor')}</label>
            <Select
              id="prospects-competitor"
              style={{ width: '100%' }}
              value={competitor}
              onChange={(v) => v && setCompetitor(v)}
              data-testid="prospects-competitor"
              options={[
                { value: 'all', label: t('prospects.competitorAll') },
                { value: 'true', label: t('prospects.competitorYes') },
                { value: 'false', label: t('prospects.competitorNo') },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <ErrorBox error={data.error} />
      {data.loading && !data.data ? (
        <Skeleton active />
      ) : !items.length ? (
        <Card>
          <Empty description={industry || competitor !== 'all' || near !== 'all' ? t('prospects.emptyFiltered') : t('prospects.empty')} />
        </Card>
      ) : (
        <div data-testid="prospects-list">
          {items.map((p, idx) => {
            const mine = p.owner_id === me.id;
            const pool = p.owner_id === null;
            return (
              <Card size="small" style={{ marginBottom: 8 }} key={p.company_id} data-testid="prospect" data-company={p.company_id}>
                <div style={{ display: 'flex', gap: 10, alignItems: 'flex-start' }}>
                  <div
                    aria-label={t('prospects.position', { n: idx + 1 })}
                    style={{ flex: 'none', width: 28, height: 28, borderRadius: 14, background: '#fff1e6', color: '#a8071a', fontWeight: 700, display: 'flex', alignItems: 'center', justifyContent: 'center' }}
                  >
                    {idx + 1}
                  </div>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Space wrap size={6}>
                      <Typography.Link strong className="tj-break" style={{ fontSize: 15 }} onClick={() => navigate(`/customers/${p.company_id}`)}>
                        {p.company_name}
                      </Typography.Link>
                      <StatusTag status={p.status} />
                      {pool && <Tag color="purple">{t('pool.tag')}</Tag>}
                      {p.industry && (
                        <Tag>
                          {p.industry}
                          {p.industry_rank ? ` · ${t('customers.rankN', { n: p.industry_rank })}` : ''}
                        </Tag>
                      )}
                      <FitTag fit={p.fit} />
                    </Space>
                    <ul style={{ margin: '6px 0 0', paddingLeft: 18 }} data-testid="prospect-reasons">
                      {reasonWords(p).map((r, i) => (
                        <li key={i} className="tj-break" style={{ fontSize: 13 }}>{r}</li>
                      ))}
                    </ul>
                  </div>
                </div>
                <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginTop: 6 }}>
                  {pool ? (
                    <Button
                      size="small"
                      type="primary"
                      icon={<FlagOutlined />}
                      loading={busy && claiming === p.company_id}
                      onClick={() => claim(p)}
                      data-testid="prospect-claim"
                    >
                      {t('customer.claim')}
                    </Button>
                  ) : mine ? (
                    <Button size="small" type="primary" icon={<EditOutlined />} onClick={() => navigate(`/visit?company=${p.company_id}`)} data-testid="prospect-visit">
                      {t('nav.visit')}
                    </Button>
                  ) : (
                    <Button size="small" onClick={() => navigate(`/customers/${p.company_id}`)}>{t('common.open')}</Button>
                  )}
                </div>
              </Card>
            );
          })}
          {items.length >= limit && limit < 100 && (
            <div style={{ textAlign: 'center' }}>
              <Button onClick={() => setLimit(100)} loading={data.loading} data-testid="prospects-more">
                {t('prospects.more')}
              </Button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

