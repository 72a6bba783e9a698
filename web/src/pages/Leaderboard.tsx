import { useMemo, useState } from 'react';
import { Avatar, Card, Empty, Segmented, Select, Skeleton, Space, Table, Tag, Typography } from '../ui';
import { CrownFilled, TrophyFilled } from '@ant-design/icons';
import { get, type MetricsList, type RepMetrics } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useIsMobile } from '../hooks';
import { monthStart, todayIn, weekStart } from '../dates';
import { ErrorBox } from '../components/common';
import Chart, { palette } from '../components/Chart';

type Period = 'day' | 'week' | 'month';
const METRICS = ['effective_new', 'visits_new', 'signed_amount', 'deals', 'visits', 'conversion', 'new_share'] as const;
const FIGURES = ['effective_new', 'visits_new', 'deals', 'signed_amount'] as const;
type Figures = Partial<Record<(typeof METRICS)[number], number | null>>;
type Metric = (typeof METRICS)[number];

interface Row {
  rep_id: number;
  name: string;
  value: number | null;
  rank: number;
  figures?: Figures;
}

interface ServerBoard {
  items: { rep_id: number; value: number | null; rank: number; display_name?: string; figures?: Figures }[];
  benchmark?: { rep_id?: number; value?: number; figures?: Figures } | number | null;
}

/** The bar chart's height for n reps (the first 20 are drawn). */
const chartHeight = (n: number) => Math.max(180, Math.min(n, 20) * 36 + 30);
/** Reserved while loading: a team of six, so that for a typical team nothing below moves. */
const LOADING_CHART_HEIGHT = chartHeight(6);

export default function Leaderboard() {
  const me = useMe();
  const { t, fmt, tz } = useI18n();
  const today = todayIn(tz);
  const [period, setPeriod] = useState<Period>('week');
  const [metric, setMetric] = useState<Metric>('effective_new');
  // the other figures' columns from a tablet up (a phone keeps rank, name, value and gap)
  const mobile = useIsMobile();

  // One answer: GET /leaderboard names, ranks and gives every rep's figures (and the benchmark's).
  // Only if the route is missing (an older server) are the rep metrics ranked here.
  const data = useAsync(async () => {
    const server = await get<ServerBoard>('/leaderboard', { period, metric, as_of: today });
    let rows: Row[];
    let benchmarkId: number | null = null;
    let source: 'server' | 'metrics' = 'metrics';
    const ratioMetric = metric === 'conversion' || metric === 'new_share';
    if (server && Array.isArray(server.items)) {
      source = 'server';
      // a ratio with nothing to divide (no effective customer, no minutes) is blank, never 0
      rows = server.items.map((i) => ({
        rep_id: i.rep_id,
        value: ratioMetric ? (i.figures?.[metric] ?? null) : (i.value ?? null),
        rank: i.rank,
        name: i.display_name ?? '',
        figures: i.figures,
      }));
      const b = server.benchmark;
      benchmarkId = typeof b === 'number' ? b : b && typeof b === 'object' && typeof b.rep_id === 'number' ? b.rep_id : null;
      if (b && typeof b === 'object' && b.figures) {
        const br = rows.find((r) => r.rep_id === benchmarkId);
        if (br && !br.figures) br.figures = b.figures;
      }
    } else {
      const from = period === 'day' ? today : period === 'week' ? weekStart(today) : monthStart(today);
      const metrics = await get<MetricsList>('/metrics/reps', { from, to: today });
      const val = (r: RepMetrics) => (metric === 'conversion' ? null : ((r[metric] as number | null) ?? null));
      const sorted = metrics.items.filter((r) => r.active).sort((a, b) => (val(b) ?? -1) - (val(a) ?? -1) || a.display_name.localeCompare(b.display_name));
      rows = [];
      sorted.forEach((r, i) => {
        const rank = i > 0 && val(r) === rows[i - 1].value ? rows[i - 1].rank : i + 1;
        rows.push({
          rep_id: r.rep_id,
          name: r.display_name,
          value: val(r),
          rank,
          figures: { effective_new: r.effective_new, visits_new: r.visits_new, deals: r.deals, signed_amount: r.signed_amount },
        });
      });
    }
    if (source === 'metrics' && rows.length && (rows[0].value ?? 0) > 0) benchmarkId = rows[0].rep_id;
    return { rows, benchmarkId, source };
  }, [period, metric, today]);

  const rows = data.data?.rows ?? [];
  const bench = rows.find((r) => r.rep_id === data.data?.benchmarkId);
  const isMoney = metric === 'signed_amount';
  const isRatio = metric === 'conversion' || metric === 'new_share';
  const showM = (m: string, v: number | null | undefined) =>
    m === 'signed_amount' ? fmt.money(v) : m === 'conversion' || m === 'new_share' ? fmt.pct(v) : fmt.num(v);
  const show = (v: number | null) => showM(metric, v);
  const axis = (v: number) => (isMoney ? fmt.moneyShort(v) : isRatio ? fmt.pct(v) : String(v));
  const nameOf = (r: Row) => r.name || `#${r.rep_id}`;

  const option = useMemo(() => {
    const top = rows.slice(0, 20);
    return {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | null) => show(v ?? null) },
      xAxis: { type: 'value', minInterval: isMoney || isRatio ? undefined : 1, axisLabel: { formatter: axis } },
      yAxis: { type: 'category', inverse: true, data: top.map((r) => nameOf(r)), axisLabel: { width: 90, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          barMaxWidth: 24,
          label: { show: true, position: 'right', formatter: (p: { value: number | null }) => (p.value === null || p.value === undefined ? '—' : axis(p.value)) },
          data: top.map((r) => ({
            value: r.value,
            itemStyle: {
              borderRadius: [0, 6, 6, 0],
              color: r.rep_id === bench?.rep_id ? palette.gold : r.rep_id === me.id ? palette.red : '#ff9c6e',
            },
          })),
          markLine: bench && bench.value !== null
            ? { symbol: 'none', lineStyle: { color: palette.gold, type: 'dashed' }, label: { formatter: t('lb.benchmark') }, data: [{ xAxis: bench.value }] }
            : undefined,
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, bench, me.id, isMoney, isRatio, fmt, t]);

  return (
    <div className="tj-card-gap">
      <Card size="small">
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Segmented
            value={period}
            onChange={(v) => setPeriod(v as Period)}
            options={(['day', 'week', 'month'] as const).map((p) => ({ value: p, label: t(`period.${p}` as Key) }))}
            data-testid="lb-period"
          />
          <Select
            aria-label={t('lb.metric')}
            value={metric}
            onChange={(v) => v && setMetric(v)}
            style={{ minWidth: 150 }}
            options={METRICS.map((m) => ({ value: m, label: t(`metric.${m}` as Key) }))}
            data-testid="lb-metric"
          />
        </Space>
      </Card>
      <ErrorBox error={data.error} />
      {/* While loading, the benchmark's card keeps its place (nothing below moves when it arrives). */}
      {!bench && data.loading && (
        <Card size="small" style={{ background: 'linear-gradient(120deg, #fffbe6, #fff1b8)', borderColor: '#ffe58f' }}>
          <div style={{ height: 75 }}>
            <div style={{ display: 'flex', gap: 16 }}>
              <Skeleton.Node active style={{ width: 40, height: 40, borderRadius: '50%', flex: 'none' }} />
              <Skeleton active paragraph={{ rows: 1 }} style={{ flex: 1 }} />
            </div>
          </div>
        </Card>
      )}
      {bench && (
        <Card size="small" style={{ background: 'linear-gradient(120deg, #fffbe6, #fff1b8)', borderColor: '#ffe58f' }} data-testid="lb-benchmark">
          <Space align="center">
            <Avatar size={44} style={{ background: '#faad14' }} icon={<CrownFilled />} />
            <div>
              <div className="tj-muted" style={{ fontSize: 12 }}>{t('lb.benchmark')}</div>
              <div style={{ fontSize: 18, fontWeight: 700 }} className="tj-break">{nameOf(bench)}</div>
            </div>
            <div style={{ marginLeft: 16 }}>
              <div className="tj-muted" style={{ fontSize: 12 }}>{t(`metric.${metric}` as Key)}</div>
              <div style={{ fontSize: 18, fontWeight: 700, color: '#d48806' }}>{show(bench.value)}</div>
            </div>
          </Space>
          {bench.figures && (
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 16px', marginTop: 8, fontSize: 13 }}>
              {FIGURES.filter((f) => f !== metric).map((f) => (
                <span key={f}>
                  <span className="tj-muted">{t(`metric.${f}` as Key)}</span> <b>{showM(f, bench.figures?.[f])}</b>
                </span>
              ))}
            </div>
          )}
        </Card>
      )}
      <Card size="small" title={<span><TrophyFilled style={{ color: '#faad14' }} /> {t('lb.title')}</span>} extra={data.data?.source === 'metrics' ? <span className="tj-muted" style={{ fontSize: 12 }}>{t('lb.fromMetrics')}</span> : null}>
        {data.loading ? <div style={{ height: LOADING_CHART_HEIGHT }}><Skeleton active /></div> : rows.length ? <Chart option={option} height={chartHeight(rows.length)} testId="chart-leaderboard" /> : <Empty description={t('team.noReps')} />}
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<Row>
          scroll={{ x: 'max-content' }}
          rowKey="rep_id"
          size="small"
          pagination={false}
          loading={data.loading}
          dataSource={rows}
          rowClassName={(r) => (r.rep_id === me.id ? 'tj-row-selected' : '')}
          columns={[
            {
              title: '#',
              dataIndex: 'rank',
              width: 48,
              render: (r: number) => (r <= 3 ? <TrophyFilled style={{ color: ['#faad14', '#bfbfbf', '#d48806'][r - 1] }} /> : r),
            },
            {
              title: t('lb.rep'),
              key: 'n',
              render: (_, r) => (
                <Space size={4}>
                  <span className="tj-break">{nameOf(r)}</span>
                  {r.rep_id === bench?.rep_id && <Tag color="gold">{t('lb.benchmarkShort')}</Tag>}
                  {r.rep_id === me.id && <Tag color="red">{t('customers.me')}</Tag>}
                </Space>
              ),
            },
            { title: t(`metric.${metric}` as Key), dataIndex: 'value', align: 'right', render: (v: number | null) => <b>{show(v)}</b> },
            {
              title: t('lb.gap'),
              key: 'gap',
              align: 'right',
              render: (_, r) =>
                bench && r.rep_id !== bench.rep_id && bench.value !== null && r.value !== null ? (
                  <Typography.Text type="secondary">{isRatio ? fmt.pct(bench.value - r.value) : isMoney ? fmt.money(bench.value - r.value) : bench.value - r.value}</Typography.Text>
                ) : (
                  '—'
                ),
            },
            ...FIGURES.filter((f) => f !== metric && !mobile).map((f) => ({
              title: t(`metric.${f}` as Key),
              key: f,
              align: 'right' as const,
              render: (_: unknown, r: Row) => (
                <span data-testid={`lb-fig-${f}`}>
                  {r.rep_id === me.id && bench?.figures && r.rep_id !== bench.rep_id ? (
                    // my figure and the benchmark's, each named: "我 6 · 标杆 3"
                    t('lb.pairMe', { a: showM(f, r.figures?.[f]), b: showM(f, bench.figures[f]) })
                  ) : (
                    <>
                      {showM(f, r.figures?.[f])}
                      {bench?.figures && r.rep_id !== bench.rep_id ? <span style={{ fontSize: 11, color: '#595959' }}> · {t('lb.benchVal', { v: showM(f, bench.figures[f]) })}</span> : null}
                    </>
                  )}
                </span>
              ),
            })),
          ]}
        />
      </Card>
    </div>
  );
}
