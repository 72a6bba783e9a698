import { useState, type ReactNode } from 'react';
import { Button, Card, Col, Empty, Popconfirm, Row, Segmented, Skeleton, Space, Table, Tag, toast, Typography } from '../ui';
import { CheckCircleFilled, CloseCircleFilled, ExperimentOutlined } from '@ant-design/icons';
import { api, get, type Target } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { loadTeams, useAsync, useTeams } from '../hooks';
import { escapeHtml } from '../html';
import { addDays, monthStart, todayIn } from '../dates';
import { ErrorBox, useErrText } from '../components/common';
import Chart, { palette } from '../components/Chart';
import { useLabel } from './labels';
import { myTeams, TeamSelect } from './teamParts';

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

/**
 * The three layers in order on one line, even on a phone (antd's small Steps without
 * responsive): done ones ticked, the first failing one a red cross, joined by a rule.
 * The kit's Steps wraps its steps (a minimum width each), hence this local one.
 */
function LayerSteps({ current, status, titles }: { current: number; status: 'finish' | 'error'; titles: string[] }) {
  return (
    <ol className="tj-steps tj-steps-sm" style={{ flexWrap: 'nowrap', gap: 8 }}>
      {titles.map((title, i) => {
        const st = i < current ? 'finish' : i === current ? status : 'wait';
        const last = i === titles.length - 1;
        return (
          <li key={i} className={`tj-step tj-step-${st}`} aria-current={i === current ? 'step' : undefined} style={{ minWidth: 0, flex: last ? '0 1 auto' : '1 1 auto', alignItems: 'center' }}>
            <span className="tj-step-icon" aria-hidden="true" style={st === 'error' ? { background: '#cf1322', color: '#fff' } : undefined}>
              {st === 'finish' ? '✓' : st === 'error' ? '✕' : i + 1}
            </span>
            {/* the last title may wrap between words ("System / (quota)"); none breaks inside a word */}
            <span className="tj-step-title" style={{ flex: last ? '0 1 auto' : 'none', whiteSpace: last ? 'normal' : 'nowrap', lineHeight: 1.3, color: st === 'error' ? '#cf1322' : undefined }}>
              {title}
            </span>
            {!last && <span aria-hidden="true" style={{ flex: '1 1 8px', minWidth: 8, height: 1, background: st === 'finish' ? '#c8281e' : 'rgba(5, 5, 5, 0.15)' }} />}
          </li>
        );
      })}
    </ol>
  );
}

export default function Diagnosis() {
  const me = useMe();
  const { t, fmt, tz } = useI18n();
  const errText = useErrText();
  const label = useLabel();
  const { teams } = useTeams();
  const today = todayIn(tz);
  const [teamId, setTeamId] = useState<number | undefined>();
  const mine = myTeams(teams, me.id, me.role);
  const effectiveTeam = teamId ?? (mine.length === 1 ? mine[0].id : undefined);
  // One request: the team (a manager's only team by default) is known once the teams are loaded.
  const data = useAsync(async () => {
    const own = myTeams(await loadTeams(), me.id, me.role);
    return get<Diagnosis>('/diagnosis', { as_of: today, team_id: teamId ?? (own.length === 1 ? own[0].id : undefined) });
  }, [today, teamId, me.id, me.role]);
  const [applying, setApplying] = useState<string | null>(null);
  const [pane, setPane] = useState<'layers' | 'insights'>('layers');
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
      toast.success(t('diag.applied'));
      data.reload();
    } catch (e) {
      toast.error(errText(e));
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
      <Segmented
        block
        value={pane}
        onChange={(v) => setPane(v as 'layers')}
        options={[
          { value: 'layers', label: t('nav.diagnosis') },
          { value: 'insights', label: t('ins.title') },
        ]}
        data-testid="diag-pane"
      />
      {pane === 'insights' ? <Insights today={today} teamId={effectiveTeam} /> : null}
      {pane === 'layers' && <ErrorBox error={data.error} />}
      {pane !== 'layers' ? null : data.loading ? (
        <Skeleton active />
      ) : d === null ? (
        <Card>
          null
        </Card>
      ) : d ? (
        <>
          <Card size="small">
            <LayerSteps
              current={failing === 'none' ? 3 : LAYERS.indexOf(failing)}
              status={failing === 'none' ? 'finish' : 'error'}
              titles={LAYERS.map((l) => t(`diag.${l}` as Key))}
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
                  <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', marginBottom: 8 }} data-testid="diag-source-kpis">
                    {(
                      [
                        ['diag.f.intake', fmt.num(d.source.intake), fmt.num(d.source.previous_intake)],
                        ['diag.f.effective', fmt.num(d.source.effective), fmt.num(d.source.previous_effective)],
                        ['diag.f.effective_rate', fmt.pct(d.source.effective_rate), fmt.pct(d.source.previous_effective_rate)],
                      ] as const
                    ).map(([k, cur, prev]) => (
                      <div key={k}>
                        <div className="tj-kpi-label">{t(k)}</div>
                        <div>
                          <span style={{ fontSize: 12, color: '#595959' }}>{t('diag.thisPeriod')} </span>
                          <span className="tj-kpi">{cur}</span>
                        </div>
                        <div style={{ fontSize: 12, color: '#595959' }}>
                          {t('diag.lastPeriod')} {prev}
                        </div>
                      </div>
                    ))}
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
                      { title: t('diag.f.intake'), dataIndex: 'intake', align: 'right', render: (v, r) => t('diag.pair', { a: v, b: r.previous_intake }) },
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
                    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`) },
                    xAxis: { type: 'category', data: [`${t('diag.f.new_hires')} (${d.people.new_hires.count})`, `${t('diag.f.veterans')} (${d.people.veterans.count})`] },
                    yAxis: { type: 'value', max: (v: { max: number }) => Math.max(100, Math.ceil(v.max / 10) * 10), axisLabel: { formatter: '{value}%' } },
                    series: [
                      {
                        type: 'bar',
                        barMaxWidth: 48,
                        label: { show: true, position: 'top', formatter: (p: { value: number | null }) => (p.value === null || p.value === undefined ? '—' : `${p.value}%`) },
                        // no attainment (nobody in the group, or no quota) is a gap, never a 0
                        data: [
                          { value: d.people.new_hires.attainment === null ? null : Math.round(d.people.new_hires.attainment * 100), itemStyle: { color: palette.orange } },
                          { value: d.people.veterans.attainment === null ? null : Math.round(d.people.veterans.attainment * 100), itemStyle: { color: palette.red } },
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

// ---- customer insights: discovery and conversion as charts (issue 15, Deliver 3) ----

interface Counted {
  text: string;
  count: number;
}
interface DiscoveryData {
  from: string;
  to: string;
  visits_with_discovery: number;
  interest_reasons: Counted[];
  attractions: Counted[];
  concerns: Counted[];
}
interface Conv {
  effective: number;
  signed: number;
  conversion: number | null;
}
interface ConversionData {
  from: string;
  to: string;
  total: Conv;
  by_source: (Conv & { source: string })[];
  by_industry: (Conv & { industry: string })[];
  by_rep: (Conv & { rep_id: number; display_name: string })[];
}

type Range = 'month' | '90' | 'year';

function CountBars({ title, rows, color, testId }: { title: string; rows: Counted[]; color: string; testId: string }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={title} style={{ height: '100%' }} data-testid={testId}>
      {!rows.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ins.none')} />
      ) : (
        <Chart
          height={Math.max(120, rows.length * 30 + 30)}
          testId={`chart-${testId}`}
          option={{
            grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            xAxis: { type: 'value', minInterval: 1, name: t('ins.count') },
            yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.text), axisLabel: { width: 120, overflow: 'truncate' } },
            series: [{ name: t('ins.count'), type: 'bar', barMaxWidth: 18, itemStyle: { color, borderRadius: [0, 4, 4, 0] }, label: { show: true, position: 'right' }, data: rows.map((r) => r.count) }],
          }}
        />
      )}
    </Card>
  );
}

function ConvBars({ title, rows, testId }: { title: string; rows: { name: string; c: Conv }[]; testId: string }) {
  const { t, fmt } = useI18n();
  return (
    <Card size="small" title={title} style={{ height: '100%' }} data-testid={testId}>
      {!rows.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ins.none')} />
      ) : (
        <Chart
          height={Math.max(140, rows.length * 44 + 50)}
          testId={`chart-${testId}`}
          option={{
            grid: { left: 8, right: 56, top: 32, bottom: 8, containLabel: true },
            legend: { top: 0, left: 0 },
            tooltip: {
              trigger: 'axis',
              axisPointer: { type: 'shadow' },
              formatter: (ps: { dataIndex: number }[]) => {
                const r = rows[ps[0]?.dataIndex ?? 0];
                return r ? `${escapeHtml(r.name)}<br/>${t('ins.effective')} ${r.c.effective} · ${t('ins.signed')} ${r.c.signed} · ${t('ins.rate')} ${fmt.pct(r.c.conversion)}` : '';
              },
            },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.name), axisLabel: { width: 100, overflow: 'truncate' } },
            series: [
              { name: t('ins.effective'), type: 'bar', barMaxWidth: 14, itemStyle: { color: palette.orange }, data: rows.map((r) => r.c.effective) },
              {
                name: t('ins.signed'),
                type: 'bar',
                barMaxWidth: 14,
                itemStyle: { color: palette.green },
                // the conversion rate beside the signed bar; a blank rate ("—") when nothing was effective
                label: { show: true, position: 'right', formatter: (p: { dataIndex: number }) => fmt.pct(rows[p.dataIndex]?.c.conversion) },
                data: rows.map((r) => r.c.signed),
              },
            ],
          }}
        />
      )}
    </Card>
  );
}

export function Insights({ today, teamId }: { today: string; teamId?: number }) {
  const { t, fmt } = useI18n();
  const label = useLabel();
  const [range, setRange] = useState<Range>('month');
  const from = range === 'month' ? monthStart(today) : addDays(today, range === '90' ? -89 : -364);
  const q = { from, to: today, as_of: today, team_id: teamId };
  const disc = useAsync(() => get<DiscoveryData>('/insights/discovery', q), [from, today, teamId]);
  const conv = useAsync(() => get<ConversionData>('/insights/conversion', q), [from, today, teamId]);
  const c = conv.data;
  const byRep = [...(c?.by_rep ?? [])].sort((a, b) => b.effective - a.effective || b.signed - a.signed);
  return (
    <div className="tj-card-gap" data-testid="insights">
      <Card size="small">
        <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
          <div style={{ flex: 1, minWidth: 200 }}>
            <Typography.Text strong>{t('ins.title')}</Typography.Text>
            <div style={{ fontSize: 13, color: '#595959' }}>{t('ins.hint')}</div>
          </div>
          <Segmented
            value={range}
            onChange={(v) => setRange(v as Range)}
            options={[
              { value: 'month', label: t('ins.range.month') },
              { value: '90', label: t('ins.range.90') },
              { value: 'year', label: t('ins.range.year') },
            ]}
            data-testid="ins-range"
          />
        </div>
        <div style={{ fontSize: 12, color: '#595959', marginTop: 6 }}>
          {fmt.date(from)} – {fmt.date(today)}
        </div>
      </Card>
      <ErrorBox error={disc.error ?? conv.error} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('ins.discovery')}
        {disc.data ? <span style={{ fontSize: 13, fontWeight: 400, color: '#595959', marginInlineStart: 8 }}>{t('ins.visitsWith', { n: disc.data.visits_with_discovery })}</span> : null}
      </Typography.Title>
      {disc.loading && !disc.data ? (
        <Skeleton active />
      ) : disc.data ? (
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={8}>
            <CountBars title={t('ins.interest')} rows={disc.data.interest_reasons} color={palette.red} testId="ins-interest" />
          </Col>
          <Col xs={24} lg={8}>
            <CountBars title={t('ins.attraction')} rows={disc.data.attractions} color={palette.orange} testId="ins-attraction" />
          </Col>
          <Col xs={24} lg={8}>
            <CountBars title={t('ins.concerns')} rows={disc.data.concerns} color={palette.blue} testId="ins-concerns" />
          </Col>
        </Row>
      ) : null}
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('ins.conversion')}
        {c ? (
          <span style={{ fontSize: 13, fontWeight: 400, color: '#595959', marginInlineStart: 8 }} data-testid="ins-total">
            {t('ins.total', { e: c.total.effective, s: c.total.signed, r: fmt.pct(c.total.conversion) })}
          </span>
        ) : null}
      </Typography.Title>
      {conv.loading && !c ? (
        <Skeleton active />
      ) : c ? (
        <Row gutter={[12, 12]}>
          <Col xs={24} lg={8}>
            <ConvBars title={t('ins.bySource')} rows={c.by_source.map((r) => ({ name: r.source ? label.source(r.source) : t('ins.unknown'), c: r }))} testId="ins-source" />
          </Col>
          <Col xs={24} lg={8}>
            <ConvBars title={t('ins.byIndustry')} rows={c.by_industry.map((r) => ({ name: r.industry || t('ins.unknown'), c: r }))} testId="ins-industry" />
          </Col>
          <Col xs={24} lg={8}>
            <ConvBars title={t('ins.byRep')} rows={byRep.map((r) => ({ name: r.display_name, c: r }))} testId="ins-rep" />
          </Col>
        </Row>
      ) : null}
    </div>
  );
}
