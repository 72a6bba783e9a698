import { Button, Card, Empty, List, Progress, Skeleton, Space, Tag, Typography } from 'antd';
import { AimOutlined, EditOutlined, LinkOutlined } from '@ant-design/icons';
import { get, type List as ListOf, type RepFit } from '../api';
import { FitTag } from './Industries';
import { useI18n } from '../i18n';
import { useAsync } from '../hooks';
import { useRouter } from '../router';
import { todayIn } from '../dates';
import { useCompanies } from '../companyNames';
import { ErrorBox, StatusTag } from '../components/common';

interface Prospect {
  company_id: number;
  score: number;
  reference_company_id: number | null;
  reasons: unknown[];
  company_name?: string;
  reference_company_name?: string;
  fit?: RepFit;
}

/** A reason may arrive as a sentence or as {code, message}; either way it is shown as text. */
export function reasonText(r: unknown, lang: 'zh' | 'en'): string {
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object') {
    const o = r as Record<string, unknown>;
    const v = (lang === 'zh' ? o.message_zh ?? o.zh : o.message_en ?? o.en) ?? o.message ?? o.text ?? o.code;
    if (typeof v === 'string') return v;
  }
  return JSON.stringify(r);
}

export default function Prospects() {
  const { t, fmt, tz, lang } = useI18n();
  const { navigate } = useRouter();
  const today = todayIn(tz);
  const data = useAsync(() => get<ListOf<Prospect>>('/prospects', { as_of: today }), [today]);
  const items = data.data?.items ?? [];
  const companies = useCompanies(items.flatMap((p) => [p.company_id, p.reference_company_id]));
  const maxScore = Math.max(1, ...items.map((p) => p.score || 0));

  return (
    <div className="tj-card-gap">
      <Card size="small">
        <Space align="start">
          <AimOutlined style={{ fontSize: 22, color: '#c8281e', marginTop: 2 }} />
          <div>
            <Typography.Text strong>{t('prospects.title')}</Typography.Text>
            <div className="tj-muted" style={{ fontSize: 13 }}>{t('prospects.hint')}</div>
          </div>
        </Space>
      </Card>
      <ErrorBox error={data.error} />
      {data.loading ? (
        <Skeleton active />
      ) : !items.length ? (
        <Card>
          <Empty description={t('prospects.empty')} />
        </Card>
      ) : (
        <List
          data-testid="prospects-list"
          dataSource={items}
          renderItem={(p, idx) => {
            const c = companies.get(p.company_id);
            const ref = p.reference_company_id ? companies.get(p.reference_company_id) : undefined;
            const name = p.company_name ?? c?.name ?? `#${p.company_id}`;
            const refName = p.reference_company_name ?? ref?.name;
            return (
              <List.Item className="tj-li">
              <Card size="small" style={{ marginBottom: 10 }}>
                <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start' }}>
                  <div style={{ textAlign: 'center', flex: 'none' }}>
                    <Progress aria-label={`${t('prospects.score')} #${idx + 1}`} type="circle" size={52} percent={Math.round(((p.score || 0) / maxScore) * 100)} format={() => `#${idx + 1}`} strokeColor="#f2641c" />
                    <div className="tj-muted" style={{ fontSize: 11 }}>{t('prospects.score')} {fmt.num(p.score, 1)}</div>
                  </div>
                  <div style={{ flex: 1, minWidth: 0 }}>
                    <Space wrap size={6}>
                      <Typography.Text strong className="tj-break" style={{ fontSize: 15 }}>{name}</Typography.Text>
                      {c && <StatusTag status={c.status} />}
                      {c?.industry && <Tag>{c.industry}{c.industry_rank ? ` #${c.industry_rank}` : ''}</Tag>}
                      <FitTag fit={p.fit} />
                    </Space>
                    {refName && (
                      <div style={{ marginTop: 4, fontSize: 13 }}>
                        <LinkOutlined /> {t('prospects.reference')}: <b className="tj-break">{refName}</b>
                        {ref?.industry_rank ? ` (#${ref.industry_rank})` : ''}
                      </div>
                    )}
                    <ul style={{ margin: '6px 0 0', paddingLeft: 18 }}>
                      {(p.reasons ?? []).map((r, i) => (
                        <li key={i} className="tj-break" style={{ fontSize: 13 }}>{reasonText(r, lang)}</li>
                      ))}
                    </ul>
                  </div>
                </div>
                <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginTop: 8 }}>
                  <Button size="small" onClick={() => navigate(`/customers/${p.company_id}`)}>{t('common.open')}</Button>
                  <Button size="small" type="primary" icon={<EditOutlined />} onClick={() => navigate(`/visit?company=${p.company_id}`)}>
                    {t('nav.visit')}
                  </Button>
                </div>
              </Card>
              </List.Item>
            );
          }}
        />
      )}
    </div>
  );
}
