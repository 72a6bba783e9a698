import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Avatar, Badge, Button, Card, Col, Collapse, Empty, List, Progress, Row, Segmented, Select, Skeleton, Space, Statistic, Table, Tabs, Tag, Typography } from '../ui';
import { CheckCircleFilled, ClockCircleOutlined, CrownFilled, WarningFilled } from '@ant-design/icons';
import { get, getAllPages, type Alert, type List as ListOf, type MetricsList, type RepMetrics, type Settings, type TargetProgress } from '../api';
import { useI18n, type Key } from '../i18n';
import { useAsync, useIsMobile, useUsers, type Async } from '../hooks';
import { todayIn, weekStart } from '../dates';
import { ErrorBox, ratio } from '../components/common';
import AlertList, { TIME_SINK_KINDS } from '../components/AlertList';
import { Reactions, type FeedItem } from '../components/Feed';
import Chart, { palette } from '../components/Chart';
import { STAGES } from './labels';
import { BookingModal, HelpBookButton, TeamBookings, type HelpBooking } from '../components/Bookings';

// The team picker and a manager's teams (Diagnosis uses them) live in teamParts.tsx.
export { myTeams, TeamSelect } from './teamParts';

// ---- the Team page's first screen: one answer, GET /api/v1/views/team (issue 15) ----

export interface RhythmRow {
  rep_id: number;
  display_name: string;
  team_id: number | null;
  plan: { company_ids: number[]; goal: string; visits_planned: number | null } | null;
  review: { id?: number; wins: string; problems: string; help_wanted: string } | null;
  visits: number;
  visits_new: number;
  effective_new: number;
  deals: number;
  signed_amount: number;
  quota_visits_new: number;
  quota_effective_new: number;
  help_booking?: HelpBooking | null;
}

interface Figures {
  visits: number;
  visits_new: number;
  effective_new: number;
  deals: number;
  signed_amount: number;
  quota_visits_new: number;
  quota_effective_new: number;
}

export interface TeamTotals {
  team_id: number | null;
  name: string | null;
  parent_id: number | null;
  manager_id: number | null;
  reps: number;
  plans_missing: number;
  reviews_missing: number;
  today: Figures;
  month: Figures & { attainment: number | null };
}


export interface TeamView {
  as_of: string;
  timezone: string;
  board: { items: RhythmRow[]; missing_plan: number[]; missing_review: number[] };
  trend: { day: string; visits_new: number; effective_new: number; quota_visits_new: number; quota_effective_new: number }[];
  month: { visits: number; visits_new: number; effective_new: number; deals: number; signed_amount: number; from: string; to: string };
  targets: TargetProgress[];
  teams: TeamTotals[];
}

type TabKey = 'kickoff' | 'shares' | 'split' | 'alerts' | 'coaching' | 'bookings';

/** Every tab one tap away at phone width: a grid of buttons instead of a scrolling tab bar. */
function TabGrid({ items, active, onChange }: { items: { key: TabKey; label: string }[]; active: TabKey; onChange: (k: TabKey) => void }) {
  const { t } = useI18n();
  return (
    <div role="tablist" aria-label={t('team.tabsLabel')} data-testid="team-tabs" style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: 6, marginBottom: 12 }}>
      {items.map((it) => (
        <Button
          key={it.key}
          role="tab"
          aria-selected={active === it.key}
          type={active === it.key ? 'primary' : 'default'}
          onClick={() => onChange(it.key)}
          data-testid={`team-tab-${it.key}`}
          style={{ height: 'auto', minHeight: 40, whiteSpace: 'normal', lineHeight: 1.25, padding: '6px 4px' }}
        >
          {it.label}
        </Button>
      ))}
    </div>
  );
}

export default function TeamPage() {
  const { t, tz } = useI18n();
  const today = todayIn(tz);
  const mobile = useIsMobile();
  const [teamId, setTeamId] = useState<number | undefined>();
  const [tab, setTab] = useState<TabKey>('kickoff');
  const view = useAsync(() => get<TeamView>('/views/team', { as_of: today, team_id: teamId }), [today, teamId]);
  // The teams to pick from: those of the whole view (kept while a team narrows it).
  const [teamOpts, setTeamOpts] = useState<TeamTotals[]>([]);
  useEffect(() => {
    if (view.data && teamId === undefined) setTeamOpts(view.data.teams.filter((x) => x.team_id !== null));
  }, [view.data, teamId]);
  const items: { key: TabKey; label: string; children: ReactNode }[] = [
    { key: 'kickoff', label: t('team.kickoff'), children: <Kickoff view={view} /> },
    { key: 'shares', label: t('team.shares'), children: <Shares today={today} teamId={teamId} view={view} /> },
    { key: 'split', label: t('team.split'), children: <Split today={today} teamId={teamId} /> },
    { key: 'alerts', label: t('team.alerts'), children: <TeamAlerts today={today} /> },
    { key: 'coaching', label: t('team.coaching'), children: <Coaching today={today} teamId={teamId} /> },
    { key: 'bookings', label: t('team.bookings'), children: <TeamBookings teamId={teamId} /> },
  ];
  return (
    <div>
      {teamOpts.length > 1 && (
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}>
          <Select
            allowClear
            style={{ minWidth: 160 }}
            placeholder={t('team.allTeams')}
            aria-label={t('team.col.team')}
            value={teamId}
            onChange={setTeamId}
            data-testid="team-select"
            options={teamOpts.map((tm) => ({ value: tm.team_id as number, label: tm.name ?? `#${tm.team_id}` }))}
          />
        </div>
      )}
      {mobile ? (
        <>
          <TabGrid items={items} active={tab} onChange={setTab} />
          <div role="tabpanel">{items.find((i) => i.key === tab)?.children}</div>
        </>
      ) : (
        <Tabs
          activeKey={tab}
          onChange={(k) => setTab(k as TabKey)}
          destroyInactiveTabPane
          items={items.map((i) => ({ key: i.key, label: <span data-testid={`team-tab-${i.key}`}>{i.label}</span>, children: i.children }))}
        />
      )}
    </div>
  );
}

/** "实际 3 · 每日指标 8": a figure and its quota, each named. */
function ActualVsQuota({ actual, quota }: { actual: number; quota: number }) {
  const { t } = useI18n();
  return (
    <span>
      <span className="tj-muted">{t('team.actual')}</span> <b>{actual}</b>
      <span className="tj-muted"> · {t('team.dailyQuotaN', { n: quota })}</span>
    </span>
  );
}

function RepCard({ m }: { m: RhythmRow }) {
  const { t } = useI18n();
  return (
    <Card size="small" style={{ background: '#fcfcfc' }} data-testid="rep-card">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
        <Avatar style={{ background: '#c8281e' }}>{m.display_name.slice(0, 1)}</Avatar>
        <b style={{ flex: 1, minWidth: 0 }} className="tj-break">{m.display_name}</b>
        {m.plan ? <Badge status="success" text={t('plan.submitted')} /> : <Badge status="warning" text={t('plan.notSubmitted')} />}
      </div>
      <div style={{ fontSize: 12 }}>
        {t('today.visitsNew')} <ActualVsQuota actual={m.visits_new} quota={m.quota_visits_new} />
      </div>
      <Progress percent={ratio(m.visits_new, m.quota_visits_new)} size="small" strokeColor="#f2641c" showInfo={false} style={{ padding: '8px 0' }} aria-label={t('today.visitsNew')} />
      <div style={{ fontSize: 12 }}>
        {t('today.effectiveNew')} <ActualVsQuota actual={m.effective_new} quota={m.quota_effective_new} />
      </div>
      <Progress percent={ratio(m.effective_new, m.quota_effective_new)} size="small" strokeColor="#c8281e" showInfo={false} style={{ padding: '8px 0' }} aria-label={t('today.effectiveNew')} />
      {m.plan && (
        <div style={{ marginTop: 6, fontSize: 13 }} className="tj-break">
          <span className="tj-muted">{t('plan.goal')}: </span>
          {m.plan.goal || '—'}
          <div className="tj-muted" style={{ fontSize: 12 }} data-testid="rep-planned">
            {m.plan.visits_planned === null || m.plan.visits_planned === undefined ? t('team.plannedBlank') : t('team.plannedVisits', { n: m.plan.visits_planned })}
            {' · '}
            {t('team.plannedCompanies', { c: m.plan.company_ids?.length ?? 0 })}
          </div>
        </div>
      )}
    </Card>
  );
}

function RepGrid({ rows }: { rows: RhythmRow[] }) {
  const { t } = useI18n();
  if (!rows.length) return <div className="tj-muted" style={{ textAlign: 'center', padding: '16px 0' }}>{t('team.noReps')}</div>;
  // one card a row on a phone, two on a tablet, three on a wide screen
  return (
    <Row gutter={[12, 12]}>
      {rows.map((m) => (
        <Col xs={24} md={12} xl={8} key={m.rep_id}>
          <RepCard m={m} />
        </Col>
      ))}
    </Row>
  );
}

/** Team vs team (a director, or a manager of several teams): the day against quota and the month. */
function TeamsCompare({ teams }: { teams: TeamTotals[] }) {
  const { t, fmt } = useI18n();
  const name = (x: TeamTotals) => x.name ?? t('team.noTeam');
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: teams.map(name), axisLabel: { width: 100, overflow: 'truncate' } },
      series: [
        { name: t('team.trend.effective'), type: 'bar', barMaxWidth: 16, itemStyle: { color: palette.red }, label: { show: true, position: 'right' }, data: teams.map((x) => x.today.effective_new) },
        { name: t('team.trend.quota'), type: 'bar', barMaxWidth: 16, itemStyle: { color: palette.grey }, label: { show: true, position: 'right' }, data: teams.map((x) => x.today.quota_effective_new) },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [teams, t],
  );
  return (
    <Card size="small" title={t('team.totals')} data-testid="team-totals">
      <div style={{ fontSize: 12, color: '#595959' }}>{t('team.totalsHint')}</div>
      <Chart option={option} height={Math.max(140, teams.length * 56 + 50)} testId="chart-teams" />
      <Table<TeamTotals>
          size="small"
          rowKey={(x) => String(x.team_id)}
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={teams}
          columns={[
            { title: t('team.col.team'), key: 'n', render: (_, x) => <b className="tj-break">{name(x)}</b> },
            { title: t('team.col.reps'), dataIndex: 'reps', align: 'right' },
            { title: t('team.col.missing'), key: 'm', align: 'right', render: (_, x) => `${x.plans_missing} / ${x.reviews_missing}` },
            { title: t('team.col.todayVisits'), key: 'v', align: 'right', render: (_, x) => `${x.today.visits_new} / ${x.today.quota_visits_new}` },
            { title: t('team.col.todayEffective'), key: 'e', align: 'right', render: (_, x) => `${x.today.effective_new} / ${x.today.quota_effective_new}` },
            { title: t('team.col.monthEffective'), key: 'me', align: 'right', render: (_, x) => x.month.effective_new },
            { title: t('metric.signed_amount'), key: 'sa', align: 'right', render: (_, x) => fmt.money(x.month.signed_amount) },
            { title: t('team.col.attainment'), key: 'a', align: 'right', render: (_, x) => fmt.pct(x.month.attainment) },
          ]}
        />
    </Card>
  );
}

/** Targets against results with pace (SPEC §3 树目标 → 拿结果). */
export function TargetsPace({ targets, nameOf }: { targets?: TargetProgress[]; nameOf: (tp: TargetProgress) => string }) {
  const { t, fmt } = useI18n();
  const sorted = [...(targets ?? [])].sort((a, b) => (a.period === b.period ? 0 : a.period === 'month' ? -1 : 1) || (a.scope === b.scope ? 0 : a.scope === 'team' ? -1 : 1));
  const show = (tp: TargetProgress, v: number) => (tp.metric === 'signed_amount' ? fmt.money(v) : fmt.num(v));
  return (
    <Card size="small" title={t('team.targets')} data-testid="team-targets">
      <div style={{ fontSize: 12, color: '#595959', marginBottom: 8 }}>{t('team.targetsHint')}</div>
      {!targets ? (
        // Loading: as tall as two targets (a month's and a day's), so that the board below does not
        // move when they arrive.
        <div style={{ minHeight: 148 }}>
          <Skeleton active title={false} paragraph={{ rows: 3 }} />
        </div>
      ) : !sorted.length ? (
        <span className="tj-muted">{t('team.noTargets')}</span>
      ) : (
        <div className="tj-card-gap" style={{ gap: 12 }}>
          {sorted.map((tp) => {
            const pct = tp.attainment === null ? 0 : Math.round(tp.attainment * 100);
            const pace = Math.round(tp.pace * 100);
            return (
              <div key={tp.id} data-testid="target-row" data-behind={tp.behind_pace ? '1' : '0'}>
                <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
                  <Tag color={tp.period === 'month' ? 'blue' : 'default'} style={{ marginInlineEnd: 0 }}>
                    {tp.period === 'month' ? t('team.target.month') : t('team.target.day')}
                  </Tag>
                  <b className="tj-break">{t('team.target.for', { who: nameOf(tp), metric: t(`metric.${tp.metric}` as Key) })}</b>
                  {tp.behind_pace ? <Tag color="red">{t('team.target.behind')}</Tag> : <Tag color="green">{t('team.target.onPace')}</Tag>}
                </div>
                <div style={{ position: 'relative' }}>
                  {/* as tall as antd's line (22px), so that the pace mark crosses the bar */}
                  <Progress percent={Math.min(100, pct)} showInfo={false} strokeColor={tp.behind_pace ? '#d4380d' : '#389e0d'} aria-label={nameOf(tp)} style={{ padding: '7px 0' }} />
                  {tp.period === 'month' && (
                    <div data-testid="pace-mark" title={t('team.target.pace', { pace: `${pace}%` })} style={{ position: 'absolute', top: 4, bottom: 4, width: 2, background: '#1f1f1f', left: `${Math.min(100, pace)}%` }} />
                  )}
                </div>
                <div style={{ fontSize: 12, color: '#595959' }}>
                  <b style={{ color: tp.behind_pace ? '#d4380d' : '#237804' }}>{fmt.pct(tp.attainment)}</b> · {t('team.target.line', { actual: show(tp, tp.actual), value: show(tp, tp.value) })}
                  {tp.period === 'month' && (
                    <>
                      {' · '}
                      {t('team.target.pace', { pace: `${pace}%` })} · {t('team.target.days', { gone: tp.working_days_gone, total: tp.working_days })}
                    </>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}

function Kickoff({ view }: { view: Async<TeamView> }) {
  const { t, fmt } = useI18n();
  const v = view.data;
  const rows = v?.board.items ?? [];
  const noPlan = rows.filter((r) => !r.plan);
  const noReview = rows.filter((r) => !r.review);
  const sum = (f: (r: RhythmRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const teams = v?.teams ?? [];
  const multi = teams.length > 1;
  const teamName = (id: number) => teams.find((x) => x.team_id === id)?.name ?? `#${id}`;
  const nameOf = (tp: TargetProgress) => (tp.scope === 'team' ? teamName(tp.scope_id) : rows.find((r) => r.rep_id === tp.scope_id)?.display_name ?? `#${tp.scope_id}`);
  const loading = view.loading && !v;

  return (
    <div className="tj-card-gap">
      <ErrorBox error={view.error} />
      <Row gutter={[12, 12]}>
        {[
          { k: 'today.visitsNew', v: sum((r) => r.visits_new), q: sum((r) => r.quota_visits_new) },
          { k: 'today.effectiveNew', v: sum((r) => r.effective_new), q: sum((r) => r.quota_effective_new) },
          { k: 'metric.deals', v: sum((r) => r.deals) },
          { k: 'metric.signed_amount', v: fmt.money(sum((r) => r.signed_amount)) },
        ].map((s) => (
          <Col xs={12} md={6} key={s.k}>
            <Card size="small" data-testid={`kpi-${s.k}`}>
              {/* The figure's line keeps its height while loading (no skeleton taller than the figure). */}
              <Statistic title={t(s.k as Key)} value={loading ? '—' : s.v} />
              {s.q !== undefined && (
                <div style={{ fontSize: 12, color: '#595959', visibility: loading ? 'hidden' : undefined }}>{t('team.dailyQuotaN', { n: loading ? 0 : s.q })}</div>
              )}
            </Card>
          </Col>
        ))}
      </Row>
      {multi && v && <TeamsCompare teams={teams} />}
      <Row gutter={[12, 12]}>
        <Col xs={24} md={12}>
          <Card size="small" title={<span><WarningFilled style={{ color: '#fa8c16' }} /> {t('team.noPlan')}</span>} data-testid="no-plan">
            {loading ? <Skeleton.Node active style={{ height: 22, width: 64, display: 'inline-block', verticalAlign: 'top' }} /> : noPlan.length ? (
              <Space wrap>{noPlan.map((r) => <Tag key={r.rep_id} color="orange">{r.display_name}</Tag>)}</Space>
            ) : <span style={{ color: '#237804' }}><CheckCircleFilled /> {t('team.allSubmitted')}</span>}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={<span><ClockCircleOutlined style={{ color: '#722ed1' }} /> {t('team.noReview')}</span>} data-testid="no-review">
            {loading ? <Skeleton.Node active style={{ height: 22, width: 64, display: 'inline-block', verticalAlign: 'top' }} /> : noReview.length ? (
              <Space wrap>{noReview.map((r) => <Tag key={r.rep_id} color="purple">{r.display_name}</Tag>)}</Space>
            ) : <span style={{ color: '#237804' }}><CheckCircleFilled /> {t('team.allSubmitted')}</span>}
          </Card>
        </Col>
      </Row>
      <TargetsPace targets={v?.targets ?? (loading ? undefined : [])} nameOf={nameOf} />
      <Card size="small" title={t('team.board')} data-testid="kickoff-board">
        {loading ? (
          <Skeleton active />
        ) : multi ? (
          <Collapse
            size="small"
            items={teams.map((tm) => ({
              key: String(tm.team_id),
              label: (
                <span>
                  <b>{t('team.teamOf', { name: tm.name ?? t('team.noTeam'), n: tm.reps })}</b>
                  <span className="tj-muted" style={{ fontSize: 12, marginInlineStart: 8 }}>
                    {t('today.effectiveNew')} <ActualVsQuota actual={tm.today.effective_new} quota={tm.today.quota_effective_new} />
                  </span>
                </span>
              ),
              children: <RepGrid rows={rows.filter((r) => r.team_id === tm.team_id)} />,
            }))}
          />
        ) : (
          <RepGrid rows={rows} />
        )}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <TeamTrend trend={v?.trend} loading={loading} />
        </Col>
        <Col xs={24} lg={12}>
          <Funnel month={v?.month} loading={loading} />
        </Col>
      </Row>
    </div>
  );
}

/** The team's last ten working days: effective new customers against the daily quota. */
function TeamTrend({ trend, loading }: { trend?: TeamView['trend']; loading: boolean }) {
  const { t } = useI18n();
  const rows = trend ?? [];
  const option = useMemo(
    () => ({
      // the legend takes two rows on a phone
      grid: { left: 8, right: 12, top: 64, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: rows.map((r) => `${r.day.slice(5, 7)}/${r.day.slice(8, 10)}`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('team.trend.effective'), type: 'bar', barMaxWidth: 18, itemStyle: { color: palette.red }, data: rows.map((r) => r.effective_new) },
        { name: t('team.trend.visits'), type: 'line', smooth: true, itemStyle: { color: palette.orange }, data: rows.map((r) => r.visits_new) },
        { name: t('team.trend.quota'), type: 'line', step: 'middle', symbol: 'none', lineStyle: { type: 'dashed', color: palette.green }, itemStyle: { color: palette.green }, data: rows.map((r) => r.quota_effective_new) },
      ],
    }),
    [rows, t],
  );
  return (
    <Card size="small" title={t('team.trend.title')} style={{ height: '100%' }} data-testid="team-trend">
      {loading ? <Skeleton active /> : <Chart option={option} height={240} testId="chart-trend" />}
    </Card>
  );
}

/** This month's new-customer funnel (the view's month sums). */
export function Funnel({ month, loading }: { month?: TeamView['month']; loading: boolean }) {
  const { t } = useI18n();
  const stages = [
    { name: t('funnel.contacted'), value: month?.visits_new ?? 0 },
    { name: t('funnel.effective'), value: month?.effective_new ?? 0 },
    { name: t('funnel.signed'), value: month?.deals ?? 0 },
  ];
  const option = {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        type: 'funnel',
        left: '8%',
        right: '8%',
        top: 10,
        bottom: 10,
        minSize: '18%',
        sort: 'none',
        gap: 4,
        label: { show: true, position: 'inside', formatter: '{b}  {c}', color: '#fff', fontWeight: 600 },
        itemStyle: { borderWidth: 0 },
        color: [palette.orange, palette.red, palette.green],
        data: stages,
      },
    ],
  };
  return (
    <Card size="small" title={t('funnel.title')} extra={<span className="tj-muted" style={{ fontSize: 12 }}>{t('funnel.hint')}</span>} style={{ height: '100%' }}>
      {loading ? <Skeleton active /> : <Chart option={option} height={240} testId="chart-funnel" />}
    </Card>
  );
}

function Shares({ today, teamId, view }: { today: string; teamId?: number; view: Async<TeamView> }) {
  const { t, fmt } = useI18n();
  const [day, setDay] = useState(today);
  // Today's board is the page's view; another day is one more answer of the same endpoint.
  const other = useAsync(
    () => (day === today ? Promise.resolve(null) : get<TeamView>('/views/team', { as_of: day, team_id: teamId })),
    [day, today, teamId],
  );
  const data = day === today ? view : other;
  // Every share of the day (the list is paged): the board pairs each rep with their share.
  const feed = useAsync(() => getAllPages<FeedItem>('/feed', { as_of: day, days: 1, team_id: teamId, limit: 200 }), [day, teamId]);
  const reviewsById = new Map((feed.data?.items ?? []).filter((f) => f.kind === 'review').map((f) => [f.id, f]));
  const deals = (feed.data?.items ?? []).filter((f) => f.kind === 'deal');
  const rows = data.data?.board.items ?? [];
  const updateFeed = (i: FeedItem) =>
    feed.setData({ items: (feed.data?.items ?? []).map((x) => (x.kind === i.kind && x.id === i.id ? i : x)), next_cursor: feed.data?.next_cursor ?? null });
  return (
    <div className="tj-card-gap">
      <Space wrap>
        {/* the phone's own date picker; no day after today, and never blank */}
        <span className="tj-input" style={{ width: 'auto' }}>
          <input
            type="date"
            value={day}
            max={today}
            required
            aria-label={t('booking.date')}
            data-testid="shares-date"
            onChange={(e) => {
              const v = e.target.value;
              if (/^\d{4}-\d{2}-\d{2}$/.test(v) && v <= today) setDay(v);
            }}
          />
        </span>
        <span className="tj-muted" style={{ fontSize: 14 }}>{t('team.sharesHint')}</span>
      </Space>
      <ErrorBox error={data.error} />
      {deals.length > 0 && (
        <Card size="small" title={<span><CrownFilled style={{ color: '#faad14' }} /> {t('feed.dealsToday')}</span>}>
          {deals.map((d) => (
            <div key={d.id} className="tj-break" style={{ marginBottom: 8 }}>
              <b>{d.item.display_name}</b> {t('feed.dealText', { company: d.item.company_name ?? '' })}{' '}
              <b style={{ color: '#237804' }}>{fmt.money(d.item.amount ?? 0)}</b>
              <Reactions item={d} onChange={updateFeed} />
            </div>
          ))}
        </Card>
      )}
      {data.loading && !data.data ? (
        <Skeleton active />
      ) : !rows.length ? (
        <Empty description={t('team.noReps')} />
      ) : (
        <Row gutter={[12, 12]} data-testid="shares">
          {rows.map((m) => {
            const review = m.review;
            const fi = review?.id ? reviewsById.get(review.id) : undefined;
            return (
              <Col xs={24} lg={12} key={m.rep_id}>
                <Card
                  size="small"
                  data-testid="share-card"
                  title={
                    <Space>
                      <Avatar size="small" style={{ background: '#c8281e' }}>{m.display_name.slice(0, 1)}</Avatar>
                      <span className="tj-break">{m.display_name}</span>
                    </Space>
                  }
                  extra={review ? <Tag color="success">{t('plan.submitted')}</Tag> : <Tag>{t('team.notShared')}</Tag>}
                  style={{ height: '100%' }}
                >
                  <div style={{ marginBottom: 8 }}>
                    <Space wrap size={12} style={{ rowGap: 4 }}>
                      <span>{t('metric.visits')} <b>{m.visits}</b></span>
                      <span>{t('metric.visits_new')} <b>{m.visits_new}</b></span>
                      <span style={{ color: '#c8281e' }}>{t('metric.effective_new')} <b>{m.effective_new}</b></span>
                      <span>{t('metric.deals')} <b>{m.deals}</b></span>
                      {m.signed_amount > 0 && <span>{fmt.money(m.signed_amount)}</span>}
                    </Space>
                  </div>
                  {review ? (
                    <div className="tj-break">
                      {(
                        [
                          ['review.wins', review.wins, '#237804'],
                          ['review.problems', review.problems, '#ad4e00'],
                          ['review.help', review.help_wanted, '#c8281e'],
                        ] as const
                      ).map(([k, v, color]) =>
                        v ? (
                          <div key={k} style={{ marginBottom: 6 }}>
                            <div style={{ fontSize: 12, color, fontWeight: 600 }}>{t(k)}</div>
                            <div className="tj-pre">{v}</div>
                            {k === 'review.help' && m.help_booking && (
                              <div style={{ marginTop: 4 }}>
                                <HelpBookButton help={m.help_booking} repName={m.display_name} helpText={v} />
                              </div>
                            )}
                          </div>
                        ) : null,
                      )}
                      {fi && <Reactions item={fi} onChange={updateFeed} />}
                    </div>
                  ) : (
                    <span className="tj-muted">{t('team.notSharedYet')}</span>
                  )}
                </Card>
              </Col>
            );
          })}
        </Row>
      )}
    </div>
  );
}

function Split({ today, teamId }: { today: string; teamId?: number }) {
  const { t, fmt } = useI18n();
  const settings = useAsync(() => get<Settings>('/settings'), []);
  const from = weekStart(today);
  const data = useAsync(() => get<MetricsList>('/metrics/reps', { from, to: today, team_id: teamId }), [from, today, teamId]);
  const min = settings.data?.new_share_min ?? 0.8;
  const rows = (data.data?.items ?? []).filter((r) => r.active);
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 24, top: 44, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v}%`) },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map((r) => r.display_name), inverse: true },
      series: [
        {
          name: t('split.new'),
          type: 'bar',
          stack: 's',
          barMaxWidth: 22,
          itemStyle: { color: palette.red },
          data: rows.map((r) => ({
            // no visit minutes: a gap, never a 0 %
            value: r.new_share === null ? null : Math.round(r.new_share * 100),
            itemStyle: { color: r.new_share !== null && r.new_share < min ? palette.orange : palette.red },
          })),
          markLine: {
            symbol: 'none',
            lineStyle: { color: palette.green, type: 'dashed', width: 2 },
            label: { formatter: `${Math.round(min * 100)}%`, position: 'end', color: palette.green },
            data: [{ xAxis: Math.round(min * 100) }],
          },
        },
        {
          name: t('split.existing'),
          type: 'bar',
          stack: 's',
          data: rows.map((r) => (r.new_share === null ? null : 100 - Math.round(r.new_share * 100))),
          itemStyle: { color: palette.grey },
        },
      ],
    }),
    [rows, min, t],
  );
  return (
    <div className="tj-card-gap">
      <Card size="small" title={t('split.title')} extra={<span className="tj-muted" style={{ fontSize: 12 }}>{fmt.date(from)} – {fmt.date(today)}</span>}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('split.hint', { pct: Math.round(min * 100) })}</Typography.Paragraph>
        <ErrorBox error={data.error} />
        {data.loading ? <Skeleton active /> : rows.length ? <Chart option={option} height={Math.max(160, rows.length * 42 + 60)} testId="chart-split" /> : <Empty description={t('team.noReps')} />}
      </Card>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<RepMetrics>
          scroll={{ x: 'max-content' }}
          rowKey="rep_id"
          size="small"
          pagination={false}
          dataSource={rows}
          columns={[
            { title: t('lb.rep'), dataIndex: 'display_name' },
            { title: t('metric.visits'), dataIndex: 'visits', align: 'right' },
            { title: t('metric.visits_new'), dataIndex: 'visits_new', align: 'right' },
            {
              title: t('split.new'),
              dataIndex: 'new_share',
              align: 'right',
              render: (v: number | null) => (v === null ? '—' : <span style={{ color: v < min ? '#d4380d' : '#237804', fontWeight: 600 }}>{fmt.pct(v)}</span>),
            },
          ]}
        />
      </Card>
    </div>
  );
}

function TeamAlerts({ today }: { today: string }) {
  const { t } = useI18n();
  const { byId } = useUsers();
  const [filter, setFilter] = useState<'sinks' | 'all'>('sinks');
  // The server pages alerts (time sinks first); a team's usually fit in the first page.
  const data = useAsync(() => get<ListOf<Alert>>('/alerts', { as_of: today, limit: 500 }), [today]);
  const [extra, setExtra] = useState<{ items: Alert[]; cursor: string | null; loading: boolean }>({ items: [], cursor: null, loading: false });
  useEffect(() => setExtra({ items: [], cursor: null, loading: false }), [data.data]);
  const cursor = extra.items.length ? extra.cursor : data.data?.next_cursor ?? null;
  const items = [...(data.data?.items ?? []), ...extra.items];
  const more = cursor ? '+' : '';
  const loadMore = () => {
    if (!cursor) return;
    setExtra((x) => ({ ...x, loading: true }));
    get<ListOf<Alert>>('/alerts', { as_of: today, limit: 500, cursor }).then(
      (page) => setExtra((x) => ({ items: [...x.items, ...page.items], cursor: page.next_cursor ?? null, loading: false })),
      () => setExtra((x) => ({ ...x, loading: false })),
    );
  };
  const shown = filter === 'sinks' ? items.filter((a) => TIME_SINK_KINDS.includes(a.kind)) : items;
  return (
    <Card size="small" data-testid="team-alerts">
      <ErrorBox error={data.error} />
      {data.loading ? (
        <Skeleton active />
      ) : data.data === null ? (
        null
      ) : (
        <>
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as 'sinks')}
            options={[
              { value: 'sinks', label: `${t('team.timeSinks')} (${items.filter((a) => TIME_SINK_KINDS.includes(a.kind)).length}${more})` },
              { value: 'all', label: `${t('team.allAlerts')} (${items.length}${more})` },
            ]}
            style={{ marginBottom: 8 }}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('team.sinkHint')}</Typography.Paragraph>
          <AlertList alerts={shown} users={byId} testId="team-alert-list" onChanged={data.reload} />
          {cursor && (
            <Button block loading={extra.loading} onClick={loadMore} data-testid="team-alerts-more" style={{ marginTop: 8 }}>
              {t('customers.loadMore')}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}

interface CoachingRow {
  rep_id: number;
  display_name: string;
  in_coaching: boolean;
  streak_below: number;
  streak_on: number;
  since?: string;
  stage?: number | null;
  stage_name?: string | null;
  stages_done?: number[];
  attainment_before?: number | null;
  attainment_since?: number | null;
  improving?: boolean;
  accompanied_count?: number;
  accompanied_visits?: { visit_id: number; day: string; companion_id: number | null; coaching_stage: number | null; company_id: number }[];
}

function Coaching({ today, teamId }: { today: string; teamId?: number }) {
  const { t, fmt } = useI18n();
  const mobile = useIsMobile();
  // The answer is paged by rep: a whole organisation comes in pages of the largest size (500 reps,
  // each page under 100 ms at 1,008 reps), all read before the list shows, because it is sorted by
  // who needs coaching most.
  const data = useAsync(() => getAllPages<CoachingRow>('/coaching', { as_of: today, team_id: teamId, visits: 'none', limit: 500 }, 50), [today, teamId]);
  const rows = [...(data.data?.items ?? [])].sort((a, b) => Number(b.in_coaching) - Number(a.in_coaching) || b.streak_below - a.streak_below);
  // Book the next 陪访 of the loop for a rep in coaching (the stage after the last one recorded).
  const [bookFor, setBookFor] = useState<{ rep: number; stage: number } | null>(null);
  return (
    <div className="tj-card-gap">
      <BookingModal open={!!bookFor} presetRep={bookFor?.rep} presetStage={bookFor?.stage} onClose={() => setBookFor(null)} onSaved={() => setBookFor(null)} />
      <Card size="small" title={t('coach.loop')}>
        <Row gutter={[8, 8]}>
          {STAGES.map((s) => (
            <Col xs={12} md={6} key={s.v}>
              <div style={{ background: '#fff2e8', borderRadius: 10, padding: '10px 12px', height: '100%' }}>
                <div style={{ fontSize: 22, fontWeight: 800, color: '#d4380d' }}>{s.v}</div>
                <div style={{ fontWeight: 600 }}>{t(s.k)}</div>
                <div className="tj-muted" style={{ fontSize: 12 }}>{t(`stage.${s.v}.hint` as Key)}</div>
              </div>
            </Col>
          ))}
        </Row>
      </Card>
      {/* on a phone the rule goes under the title: beside it, it would squeeze the title to a column */}
      <Card size="small" title={t('coach.candidates')} extra={mobile ? undefined : <span className="tj-muted" style={{ fontSize: 12 }}>{t('coach.rule')}</span>} data-testid="coaching">
        {mobile && <div className="tj-muted" style={{ fontSize: 12, marginBottom: 8 }}>{t('coach.rule')}</div>}
        <ErrorBox error={data.error} />
        {data.loading ? (
          <Skeleton active />
        ) : data.data === null ? (
          null
        ) : (
          <List
            dataSource={rows}
            locale={{ emptyText: t('team.noReps') }}
            renderItem={(r) => (
              <List.Item
                actions={
                  r.in_coaching
                    ? [
                        <Button key="book" size="small" onClick={() => setBookFor({ rep: r.rep_id, stage: r.stage ? (r.stage % 4) + 1 : 1 })} data-testid="coaching-book">
                          {t('booking.new')}
                        </Button>,
                      ]
                    : undefined
                }
              >
                <List.Item.Meta
                  avatar={<Avatar style={{ background: r.in_coaching ? '#c8281e' : '#52c41a' }}>{r.display_name.slice(0, 1)}</Avatar>}
                  title={
                    <Space wrap>
                      <span className="tj-break">{r.display_name}</span>
                      {r.in_coaching ? <Tag color="red">{t('coach.in', { date: fmt.date(r.since) })}</Tag> : <Tag color="green">{t('coach.ok')}</Tag>}
                      {r.in_coaching && r.stage ? <Tag color="volcano">{r.stage}. {t(`stage.${r.stage}` as Key)}</Tag> : null}
                      {r.in_coaching && r.improving !== undefined ? (
                        r.improving ? <Tag color="green">{t('coach.improving')}</Tag> : <Tag color="orange">{t('coach.notYet')}</Tag>
                      ) : null}
                    </Space>
                  }
                  description={
                    <div style={{ fontSize: 13 }}>
                      {r.in_coaching ? (
                        <>
                          <Space size={4} wrap style={{ marginBottom: 4 }}>
                            {STAGES.map((s) => (
                              <Tag key={s.v} color={r.stages_done?.includes(s.v) ? 'volcano' : undefined}>
                                {s.v}. {t(s.k)}
                              </Tag>
                            ))}
                          </Space>
                          <div>
                            {t('coach.accompanied', { n: r.accompanied_count ?? r.accompanied_visits?.length ?? 0 })} · {t('coach.before')} {fmt.pct(r.attainment_before)} → {t('coach.since')} {fmt.pct(r.attainment_since)}
                          </div>
                        </>
                      ) : (
                        <span>{t('coach.streaks', { on: r.streak_on, below: r.streak_below })}</span>
                      )}
                    </div>
                  }
                />
              </List.Item>
            )}
          />
        )}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
          {t('coach.howto')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
