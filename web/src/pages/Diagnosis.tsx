import { useState, type ReactNode } from 'react';
import { App, Button, Card, Col, Popconfirm, Row, Skeleton, Space, Steps, Table, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExperimentOutlined } from '@ant-design/icons';
import { api, get, type Target } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useTeams } from '../hooks';
import { todayIn } from '../dates';
import { ErrorBox, useErrText } from '../components/common';
import Chart, { palette } from '../components/Chart';
import { useLabel } from './CustomerDetail';
import { myTeams, TeamSelect } from './Team';

type Layer = 'source' | 'people' | 'system';

interface SourceRow {
  source: string;
  intake: number;
  effective: number;
  effective_rate: number | null;
  previous_intake: number;
  previous_effective: number;
  previous_effective_rate: number | null;
}
interface QuotaSuggestion {
  metric: string;
  current: number;
  suggested: number;
  failing: boolean;
  reaching_share: number | null;
  working_days: number;
  rep_medians?: unknown;
}
interface Diagnosis {
  as_of: string;
  source: {
    failing: boolean;
    period: { from: string; to: string };
    previous_period: { from: string; to: string };
    intake: number;
    effective: number;
    effective_rate: number | null;
    previous_intake: number;
    previous_effective: number;
    previous_effective_rate: number | null;
    by_source: SourceRow[];
    message: string;
  };
  people: {
    failing: boolean;
    new_hires: { count: number; attainment: number | null };
    veterans: { count: number; attainment: number | null };
    tenure_days: number;
    message: string;
  };
  system: QuotaSuggestion & { also?: QuotaSuggestion[]; message: string };
  first_failing: Layer | 'none';
  message: string;
}

const LAYERS: Layer[] = ['source', 'people', 'system'];

export default function Diagnosis() {
  const me = useMe();
  const { t, fmt, tz } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const label = useLabel();
  const { teams } = useTeams();
  const today = todayIn(tz);
  const [teamId, setTeamId] = useState<number | undefined>();
  const mine = myTeams(teams, me.id, me.role);
  const effectiveTeam = teamId ?? (mine.length === 1 ? mine[0].id : undefined);
  const data = useAsync(() => get<Diagnosis>('/diagnosis', { as_of: today, team_id: effectiveTeam }), [today, effectiveTeam]);
  const [applying, setApplying] = useState<string | null>(null);
  const d = data.data;
  const failing = d?.first_failing ?? 'none';

  const apply = async (s: QuotaSuggestion) => {
    if (!effectiveTeam) return;
    setApplying(s.metric);
    try {
      await api<Target>('PUT', '/targets', {
        scope: 'team',
        scope_id: effectiveTeam,
        metric: s.metric,
        period: 'day',
        value: s.suggested,
        reason: t('diag.reason', { from: s.current, to: s.suggested }),
      });
      message.success(t('diag.applied'));
      data.reload();
    } catch (e) {
      message.error(errText(e));
    } finally {
      setApplying(null);
    }
  };

  const layerCard = (l: Layer, body: ReactNode, msg?: string) => {
    const bad = d?.[l]?.failing;
    return (
      <Card
        size="small"
        data-testid={`diag-${l}`}
        title={
          <Space>
            {bad ? <CloseCircleFilled style={{ color: '#cf1322' }} /> : <CheckCircleFilled style={{ color: '#52c41a' }} />}
            {t(`diag.${l}` as Key)}
          </Space>
        }
        extra={failing === l ? <Tag color="red">{t('diag.failing')}</Tag> : bad ? <Tag color="orange">{t('diag.f.failing')}</Tag> : <Tag color="green">{t('diag.ok')}</Tag>}
        style={{ height: '100%', borderColor: failing === l ? '#ffa39e' : undefined }}
      >
        <div className="tj-muted" style={{ fontSize: 12, marginBottom: 8 }}>{t(`diag.${l}.hint` as Key)}</div>
        {msg ? <div className="tj-break" style={{ marginBottom: 8, fontWeight: 500 }}>{msg}</div> : null}
        {body}
      </Card>
    );
  };

  const suggestion = (s: QuotaSuggestion) => (
    <div key={s.metric} style={{ background: s.failing ? '#fff7e6' : '#f6ffed', borderRadius: 10, padding: 12, marginTop: 8 }} data-testid={`diag-suggest-${s.metric}`}>
      <div style={{ fontWeight: 600 }}>{t(`metric.${s.metric}` as Key)}</div>
      <div style={{ fontSize: 13 }}>
        {t('diag.f.current')} <b>{s.current}</b> → {t('diag.f.suggested')} <b style={{ color: s.failing ? '#d4380d' : undefined }}>{s.suggested}</b>
        <span className="tj-muted"> · {t('diag.f.reaching_share')} {fmt.pct(s.reaching_share)}</span>
      </div>
      {s.failing && (
        <>
          <Popconfirm title={t('diag.applyConfirm')} onConfirm={() => apply(s)} disabled={!effectiveTeam}>
            <Button type="primary" size="small" style={{ marginTop: 8 }} loading={applying === s.metric} disabled={!effectiveTeam} data-testid="diag-apply">
              {t('diag.applyN', { n: s.suggested })}
            </Button>
          </Popconfirm>
          {!effectiveTeam && <div className="tj-muted" style={{ fontSize: 12, marginTop: 4 }}>{t('diag.pickTeam')}</div>}
        </>
      )}
    </div>
  );

  return (
    <div className="tj-card-gap">
      <Card size="small">
        <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <ExperimentOutlined style={{ fontSize: 22, color: '#c8281e', marginTop: 2 }} />
          <div style={{ flex: 1, minWidth: 200 }}>
            <Typography.Text strong>{t('diag.title')}</Typography.Text>
            <div className="tj-muted" style={{ fontSize: 13 }}>{t('diag.hint')}</div>
          </div>
          <TeamSelect value={teamId} onChange={setTeamId} />
        </div>
      </Card>
      <ErrorBox error={data.error} />
      {data.loading ? (
        <Skeleton active />
      ) : d ? (
        <>
          <Card size="small">
            <Steps
              responsive={false}
              size="small"
              current={failing === 'none' ? 3 : LAYERS.indexOf(failing)}
              status={failing === 'none' ? 'finish' : 'error'}
              items={LAYERS.map((l) => ({ title: t(`diag.${l}` as Key) }))}
            />
            <div style={{ marginTop: 12, fontWeight: 600 }} className="tj-break" data-testid="diag-verdict">
              {failing === 'none' ? t('diag.allOk') : t('diag.firstFailing', { layer: t(`diag.${failing}` as Key) })}
              {d.message ? <div style={{ fontWeight: 400 }}>{d.message}</div> : null}
            </div>
          </Card>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={8}>
              {layerCard(
                'source',
                <>
                  <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', marginBottom: 8 }}>
                    <div>
                      <div className="tj-kpi-label">{t('diag.f.intake')}</div>
                      <div className="tj-kpi">{d.source.intake}<span className="tj-muted" style={{ fontSize: 13 }}> / {d.source.previous_intake}</span></div>
                    </div>
                    <div>
                      <div className="tj-kpi-label">{t('diag.f.effective')}</div>
                      <div className="tj-kpi">{d.source.effective}<span className="tj-muted" style={{ fontSize: 13 }}> / {d.source.previous_effective}</span></div>
                    </div>
                    <div>
                      <div className="tj-kpi-label">{t('diag.f.effective_rate')}</div>
                      <div className="tj-kpi">{fmt.pct(d.source.effective_rate)}<span className="tj-muted" style={{ fontSize: 13 }}> / {fmt.pct(d.source.previous_effective_rate)}</span></div>
                    </div>
                  </div>
                  <div className="tj-muted" style={{ fontSize: 12, marginBottom: 6 }}>
                    {t('diag.periods', { from: fmt.date(d.source.period.from), to: fmt.date(d.source.period.to), pfrom: fmt.date(d.source.previous_period.from), pto: fmt.date(d.source.previous_period.to) })}
                  </div>
                  <Table<SourceRow>
                    size="small"
                    rowKey="source"
                    pagination={false}
                    dataSource={d.source.by_source}
                    columns={[
                      { title: t('customers.source'), dataIndex: 'source', render: (s: string) => (s === 'unknown' ? t('diag.unknownSource') : label.source(s)) },
                      { title: t('diag.f.intake'), dataIndex: 'intake', align: 'right', render: (v, r) => `${v} / ${r.previous_intake}` },
                      { title: t('diag.f.effective_rate'), dataIndex: 'effective_rate', align: 'right', render: (v) => fmt.pct(v) },
                    ]}
                  />
                </>,
                d.source.message,
              )}
            </Col>
            <Col xs={24} lg={8}>
              {layerCard(
                'people',
                <Chart
                  height={200}
                  testId="chart-people"
                  option={{
                    grid: { left: 8, right: 16, top: 16, bottom: 4, containLabel: true },
                    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
                    xAxis: { type: 'category', data: [`${t('diag.f.new_hires')} (${d.people.new_hires.count})`, `${t('diag.f.veterans')} (${d.people.veterans.count})`] },
                    yAxis: { type: 'value', max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { formatter: '{value}%' } },
                    series: [
                      {
                        type: 'bar',
                        barMaxWidth: 48,
                        label: { show: true, position: 'top', formatter: '{c}%' },
                        data: [
                          { value: Math.round((d.people.new_hires.attainment ?? 0) * 100), itemStyle: { color: palette.orange } },
                          { value: Math.round((d.people.veterans.attainment ?? 0) * 100), itemStyle: { color: palette.red } },
                        ],
                        markLine: { symbol: 'none', lineStyle: { color: palette.green, type: 'dashed' }, label: { formatter: '100%' }, data: [{ yAxis: 100 }] },
                      },
                    ],
                  }}
                />,
                d.people.message,
              )}
            </Col>
            <Col xs={24} lg={8}>
              {layerCard('system', <>{[d.system, ...(d.system.also ?? [])].map(suggestion)}</>, d.system.message)}
            </Col>
          </Row>
        </>
      ) : null}
    </div>
  );
}
