import { useEffect, useMemo, useState } from 'react';
import { Avatar, Badge, Button, Card, Col, DatePicker, Empty, List, Progress, Row, Segmented, Select, Skeleton, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, CrownFilled, WarningFilled } from '@ant-design/icons';
import dayjs from 'dayjs';
import { get, getAllPages, type Alert, type List as ListOf, type MetricsList, type RepMetrics, type Settings, type Team } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useTeams, useUsers } from '../hooks';
import { monthStart, todayIn, weekStart } from '../dates';
import { ErrorBox, ratio } from '../components/common';
import AlertList, { TIME_SINK_KINDS } from '../components/AlertList';
import { Reactions, type FeedItem } from '../components/Feed';
import Chart, { palette } from '../components/Chart';
import { DailyTrend } from './Today';
import { STAGES } from './LogVisit';
import { BookingModal, TeamBookings } from '../components/Bookings';

/** Teams the manager runs (and their sub-teams); every team for an admin. */
export function myTeams(teams: Team[], meId: number, role: string): Team[] {
  if (role === 'admin') return teams;
  const roots = teams.filter((t) => t.manager_id === meId).map((t) => t.id);
  const out = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) if (t.parent_id && out.has(t.parent_id) && !out.has(t.id)) { out.add(t.id); grew = true; }
  }
  return teams.filter((t) => out.has(t.id));
}

export function TeamSelect({ value, onChange }: { value?: number; onChange: (v?: number) => void }) {
  const me = useMe();
  const { t } = useI18n();
  const { teams } = useTeams();
  const mine = myTeams(teams, me.id, me.role);
  if (mine.length < 2) return null;
  return (
    <Select
      allowClear
      style={{ minWidth: 160 }}
      placeholder={t('team.allTeams')}
      value={value}
      onChange={onChange}
      options={mine.map((tm) => ({ value: tm.id, label: tm.name }))}
    />
  );
}

export default function TeamPage() {
  const { t, tz } = useI18n();
  const today = todayIn(tz);
  const [teamId, setTeamId] = useState<number | undefined>();
  const [tab, setTab] = useState('kickoff');
  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}>
        <TeamSelect value={teamId} onChange={setTeamId} />
      </div>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyInactiveTabPane
        items={[
          { key: 'kickoff', label: t('team.kickoff'), children: <Kickoff today={today} teamId={teamId} /> },
          { key: 'shares', label: t('team.shares'), children: <Shares today={today} teamId={teamId} /> },
          { key: 'split', label: t('team.split'), children: <Split today={today} teamId={teamId} /> },
          { key: 'alerts', label: t('team.alerts'), children: <TeamAlerts today={today} /> },
          { key: 'coaching', label: t('team.coaching'), children: <Coaching today={today} teamId={teamId} /> },
          { key: 'bookings', label: t('team.bookings'), children: <TeamBookings teamId={teamId} /> },
        ]}
      />
    </div>
  );
}

export interface RhythmRow {
  rep_id: number;
  display_name: string;
  plan: { company_ids: number[]; goal: string; visits_planned: number | null } | null;
  review: { id?: number; wins: string; problems: string; help_wanted: string } | null;
  visits: number;
  visits_new: number;
  effective_new: number;
  deals: number;
  signed_amount: number;
  quota_visits_new: number;
  quota_effective_new: number;
}

/** Each rep's day: the rhythm board from the server. */
function useRepsToday(today: string, teamId?: number) {
  return useAsync(async (): Promise<RhythmRow[]> => {
    const board = await get<{ items: RhythmRow[] }>('/rhythm', { as_of: today, team_id: teamId });
    return board.items;
  }, [today, teamId]);
}

function Kickoff({ today, teamId }: { today: string; teamId?: number }) {
  const { t, fmt } = useI18n();
  const data = useRepsToday(today, teamId);
  const rows = data.data ?? [];
  const noPlan = rows.filter((r) => !r.plan);
  const noReview = rows.filter((r) => !r.review);
  const sum = (f: (r: RhythmRow) => number) => rows.reduce((s, r) => s + f(r), 0);

  return (
    <div className="tj-card-gap">
      <ErrorBox error={data.error} />
      <Row gutter={[12, 12]}>
        {[
          { k: 'today.visitsNew', v: sum((r) => r.visits_new), q: sum((r) => r.quota_visits_new) },
          { k: 'today.effectiveNew', v: sum((r) => r.effective_new), q: sum((r) => r.quota_effective_new) },
          { k: 'metric.deals', v: sum((r) => r.deals) },
          { k: 'metric.signed_amount', v: fmt.money(sum((r) => r.signed_amount)) },
        ].map((s) => (
          <Col xs={12} md={6} key={s.k}>
            <Card size="small">
              <Statistic title={t(s.k as Key)} value={s.v} suffix={s.q !== undefined ? <span className="tj-muted" style={{ fontSize: 14 }}>/ {s.q}</span> : undefined} loading={data.loading} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={12}>
          <Card size="small" title={<span><WarningFilled style={{ color: '#fa8c16' }} /> {t('team.noPlan')}</span>} data-testid="no-plan">
            {data.loading ? <Skeleton active paragraph={{ rows: 1 }} /> : noPlan.length ? (
              <Space wrap>{noPlan.map((r) => <Tag key={r.rep_id} color="orange">{r.display_name}</Tag>)}</Space>
            ) : <span style={{ color: '#237804' }}><CheckCircleFilled /> {t('team.allSubmitted')}</span>}
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={<span><ClockCircleOutlined style={{ color: '#722ed1' }} /> {t('team.noReview')}</span>} data-testid="no-review">
            {data.loading ? <Skeleton active paragraph={{ rows: 1 }} /> : noReview.length ? (
              <Space wrap>{noReview.map((r) => <Tag key={r.rep_id} color="purple">{r.display_name}</Tag>)}</Space>
            ) : <span style={{ color: '#237804' }}><CheckCircleFilled /> {t('team.allSubmitted')}</span>}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('team.board')} data-testid="kickoff-board">
        {data.loading ? (
          <Skeleton active />
        ) : (
          <List
            dataSource={rows}
            locale={{ emptyText: t('team.noReps') }}
            grid={{ gutter: 12, xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
            renderItem={(m) => (
              <List.Item>
                <Card size="small" style={{ background: '#fcfcfc' }}>
                  <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
                    <Avatar style={{ background: '#c8281e' }}>{m.display_name.slice(0, 1)}</Avatar>
                    <b style={{ flex: 1, minWidth: 0 }} className="tj-break">{m.display_name}</b>
                    {m.plan ? <Badge status="success" text={t('plan.submitted')} /> : <Badge status="warning" text={t('plan.notSubmitted')} />}
                  </div>
                  <div style={{ fontSize: 12 }} className="tj-muted">{t('today.visitsNew')} {m.visits_new}/{m.quota_visits_new}</div>
                  <Progress aria-label={t('today.visitsNew')} percent={ratio(m.visits_new, m.quota_visits_new)} size="small" strokeColor="#f2641c" showInfo={false} />
                  <div style={{ fontSize: 12 }} className="tj-muted">{t('today.effectiveNew')} {m.effective_new}/{m.quota_effective_new}</div>
                  <Progress aria-label={t('today.effectiveNew')} percent={ratio(m.effective_new, m.quota_effective_new)} size="small" strokeColor="#c8281e" showInfo={false} />
                  {m.plan && (
                    <div style={{ marginTop: 6, fontSize: 13 }} className="tj-break">
                      <span className="tj-muted">{t('plan.goal')}: </span>
                      {m.plan.goal || '—'}
                      <div className="tj-muted" style={{ fontSize: 12 }}>
                        {t('team.planned', { n: m.plan.visits_planned ?? 0, c: m.plan.company_ids?.length ?? 0 })}
                      </div>
                    </div>
                  )}
                </Card>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <DailyTrend today={today} teamId={teamId} />
        </Col>
        <Col xs={24} lg={12}>
          <Funnel today={today} teamId={teamId} />
        </Col>
      </Row>
    </div>
  );
}

/** This month's new-customer funnel, from the rep metrics. */
export function Funnel({ today, teamId, repId }: { today: string; teamId?: number; repId?: number }) {
  const { t } = useI18n();
  const data = useAsync(() => get<MetricsList>('/metrics/reps', { from: monthStart(today), to: today, team_id: teamId }), [today, teamId]);
  const rows = (data.data?.items ?? []).filter((r) => (repId ? r.rep_id === repId : true));
  const sum = (f: (r: RepMetrics) => number) => rows.reduce((s, r) => s + f(r), 0);
  const stages = [
    { name: t('funnel.contacted'), value: sum((r) => r.visits_new) },
    { name: t('funnel.effective'), value: sum((r) => r.effective_new) },
    { name: t('funnel.signed'), value: sum((r) => r.deals) },
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
      <ErrorBox error={data.error} />
      {data.loading ? <Skeleton active /> : <Chart option={option} height={240} testId="chart-funnel" />}
    </Card>
  );
}

function Shares({ today, teamId }: { today: string; teamId?: number }) {
  const { t, fmt } = useI18n();
  const [day, setDay] = useState(today);
  const data = useRepsToday(day, teamId);
  // Every share of the day (the list is paged): the board pairs each rep with their share.
  const feed = useAsync(() => getAllPages<FeedItem>('/feed', { as_of: day, days: 1, team_id: teamId, limit: 200 }), [day, teamId]);
  const reviewsById = new Map((feed.data?.items ?? []).filter((f) => f.kind === 'review').map((f) => [f.id, f]));
  const deals = (feed.data?.items ?? []).filter((f) => f.kind === 'deal');
  const rows = data.data ?? [];
  const updateFeed = (i: FeedItem) =>
    feed.setData({ items: (feed.data?.items ?? []).map((x) => (x.kind === i.kind && x.id === i.id ? i : x)), next_cursor: feed.data?.next_cursor ?? null });
  return (
    <div className="tj-card-gap">
      <Space wrap>
        <DatePicker value={dayjs(day)} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') > today} />
        <span className="tj-muted">{t('team.sharesHint')}</span>
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
      {data.loading ? (
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
                  <Space wrap size={[12, 4]}>
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
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => `${v}%` },
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
            value: r.new_share === null ? 0 : Math.round(r.new_share * 100),
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
          data: rows.map((r) => (r.new_share === null ? 0 : 100 - Math.round(r.new_share * 100))),
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
        <div className="tj-scroll-x">
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
              render: (v: number | null) => (v === null ? '—' : <span style={{ color: v < min ? '#ad2102' : '#237804', fontWeight: 600 }}>{fmt.pct(v)}</span>),
            },
          ]}
        />
        </div>
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
  accompanied_visits?: { visit_id: number; day: string; companion_id: number | null; coaching_stage: number | null; company_id: number }[];
  accompanied_count?: number;
}

function Coaching({ today, teamId }: { today: string; teamId?: number }) {
  const { t, fmt } = useI18n();
  const data = useAsync(() => get<{ items: CoachingRow[] }>('/coaching', { as_of: today, team_id: teamId, visits: 'none' }), [today, teamId]);
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
      <Card size="small" title={t('coach.candidates')} extra={<span className="tj-muted" style={{ fontSize: 12 }}>{t('coach.rule')}</span>} data-testid="coaching">
        <ErrorBox error={data.error} />
        {data.loading ? (
          <Skeleton active />
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
