import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Col, Empty, Field, InputNumber, Progress, Row, Skeleton, Statistic, Tag, TextArea, toast } from '../ui';
import { AimOutlined, CheckCircleFilled, EditOutlined, MoonOutlined, SunOutlined, BellOutlined, LineChartOutlined } from '@ant-design/icons';
import { api, get, type Alert, type Company, type MetricsList, type Plan, type Review, type Settings, type TargetProgress } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync } from '../hooks';
import { useRouter } from '../router';
import { todayIn, lastWorkingDays } from '../dates';
import { ErrorBox, QuotaRing, useAction } from '../components/common';
import PickerField from '../components/PickerField';
import AlertList from '../components/AlertList';
import Chart, { palette } from '../components/Chart';
import Feed from '../components/Feed';
import WhenVisible from '../components/WhenVisible';
import { UpcomingBookings } from '../components/Bookings';

export function greetingKey(tz: string) {
  const h = Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hour12: false }).format(new Date()));
  return h < 11 ? 'today.morning' : h < 18 ? 'today.afternoon' : 'today.evening';
}

/** One day's figures of GET /api/v1/views/today. */
interface DayFigures {
  day: string;
  visits: number;
  visits_new: number;
  effective_new: number;
  deals: number;
  signed_amount: number;
  quota_visits_new: number;
  quota_effective_new: number;
}
interface TodayView {
  as_of: string;
  rep_id: number;
  working_day: boolean;
  today: DayFigures;
  trend: DayFigures[];
  targets: TargetProgress[];
  plan: Plan | null;
  plan_companies: { id: number; name: string; status: Company['status'] }[];
  review: Review | null;
  alerts: Alert[];
  alerts_more: boolean;
}

export default function Today() {
  const me = useMe();
  const { t, fmt, tz } = useI18n();
  const { navigate } = useRouter();
  const today = todayIn(tz);
  // The whole first screen from one request (issue 15): quotas, trend, targets, plan, share, alerts.
  const view = useAsync(() => get<TodayView>('/views/today', { as_of: today }), [today]);
  const v = view.data;

  return (
    <div className="tj-card-gap">
      <div className="tj-hero">
        <h2>{t(greetingKey(tz) as 'today.morning', { name: me.display_name })}</h2>
        <div className="sub">
          {fmt.longDate(today)} · {t('today.motto')}
        </div>
      </div>

      <UpcomingBookings />
      <ErrorBox error={view.error} />

      <Card
        title={t('today.quota')}
        extra={
          <Button type="primary" icon={<EditOutlined />} onClick={() => navigate('/visit')} data-testid="today-log-visit">
            {t('today.logVisit')}
          </Button>
        }
      >
        {!v ? (
          // As tall as the two rings it stands for (stacked on a phone): nothing moves when they arrive.
          <div className="tj-quota-ph">
            <Skeleton active paragraph={{ rows: 2 }} />
          </div>
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12}>
              <QuotaRing testId="quota-visits" label={t('today.visitsNew')} done={v.today.visits_new} quota={v.today.quota_visits_new} />
            </Col>
            <Col xs={24} sm={12}>
              <QuotaRing testId="quota-effective" label={t('today.effectiveNew')} done={v.today.effective_new} quota={v.today.quota_effective_new} />
            </Col>
          </Row>
        )}
      </Card>

      <TargetsCard targets={v?.targets} loading={!v} />

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {v ? (
            <PlanCard today={today} plan={v.plan} companies={v.plan_companies} onSaved={view.reload} />
          ) : (
            <Card><Skeleton active /></Card>
          )}
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={
              <span>
                <BellOutlined /> {t('today.alerts')}
              </span>
            }
            data-testid="today-alerts"
            style={{ height: '100%' }}
          >
            {!v ? <Skeleton active /> : <AlertList alerts={v.alerts} onChanged={view.reload} />}
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          {v ? <ReviewCard today={today} review={v.review} live={v.today} onSaved={view.reload} /> : <Card><Skeleton active /></Card>}
        </Col>
        <Col xs={24} lg={12}>
          <div className="tj-card-gap">
            <Card
              title={
                <span>
                  <LineChartOutlined /> {t('chart.dailyEffective')}
                </span>
              }
              size="small"
            >
              {v ? (
                <TrendChart rows={v.trend.map((d) => ({ day: d.day, effective: d.effective_new, quota: d.quota_effective_new }))} />
              ) : (
                <Skeleton active />
              )}
            </Card>
            <Card size="small" title={t('feed.title')} data-testid="today-feed">
              {/* Below the first screen: its requests wait until it comes near. */}
              <WhenVisible height={240} ready={!!v}>
                <Feed asOf={today} days={3} />
              </WhenVisible>
            </Card>
          </div>
        </Col>
      </Row>
    </div>
  );
}

/** The rep's targets against results with pace (SPEC §3): monthly first, then the daily ones. */
function TargetsCard({ targets, loading }: { targets?: TargetProgress[]; loading: boolean }) {
  const { t, fmt } = useI18n();
  const rows = [...(targets ?? [])].sort((a, b) => (a.period === b.period ? (a.scope === b.scope ? 0 : a.scope === 'rep' ? -1 : 1) : a.period === 'month' ? -1 : 1));
  const val = (tp: TargetProgress, n: number) => (tp.metric === 'signed_amount' ? fmt.money(n) : fmt.num(n));
  return (
    <Card
      title={
        <span>
          <AimOutlined /> {t('today.targets')}
        </span>
      }
      size="small"
      data-testid="today-targets"
    >
      {loading ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : !rows.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('today.noTargets')} />
      ) : (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          {rows.map((tp) => {
            const att = tp.attainment === null ? null : Math.round(tp.attainment * 100);
            const pace = Math.round(tp.pace * 100);
            return (
              <div key={tp.id} data-testid="target-row" data-metric={tp.metric} data-period={tp.period} data-behind={String(tp.behind_pace)}>
                <div style={{ display: 'flex', gap: 6, alignItems: 'baseline', flexWrap: 'wrap' }}>
                  <b>
                    {t(tp.period === 'month' ? 'today.targetMonthly' : 'today.targetDaily')} · {t(`metric.${tp.metric}` as Key)}
                  </b>
                  {tp.scope === 'team' && <Tag>{t('today.targetTeam')}</Tag>}
                  {tp.behind_pace ? (
                    <Tag color="red">{t('today.behindPace')}</Tag>
                  ) : tp.period !== 'month' ? null : att !== null && att >= pace ? (
                    <Tag color="green">{t('today.onPace')}</Tag>
                  ) : (
                    <Tag>{t('today.belowPaceEarly')}</Tag>
                  )}
                </div>
                <div style={{ fontSize: 13 }} data-testid="target-figures">
                  {t(tp.scope === 'team' ? 'today.teamActual' : 'today.targetActual')} <b>{val(tp, tp.actual)}</b> ·{' '}
                  {t(tp.scope === 'team' ? 'today.teamTargetValue' : 'today.targetValue')} <b>{val(tp, tp.value)}</b>
                  {att !== null && <> · {t('today.targetAttainment')} <b>{att}%</b></>}
                </div>
                <Progress
                  percent={Math.min(100, att ?? 0)}
                  success={{ percent: Math.min(100, pace), strokeColor: 'rgba(0,0,0,0.25)' }}
                  strokeColor={tp.behind_pace ? '#c8281e' : '#389e0d'}
                  showInfo={false}
                  size="small"
                  aria-label={t(`metric.${tp.metric}` as Key)}
                />
                {tp.period === 'month' && (
                  <div className="tj-muted" style={{ fontSize: 12 }}>
                    {t('today.paceLine', { pace, gone: tp.working_days_gone, total: tp.working_days })}
                  </div>
                )}
              </div>
            );
          })}
        </div>
      )}
    </Card>
  );
}

function PlanCard({
  today,
  plan,
  companies,
  onSaved,
}: {
  today: string;
  plan: Plan | null;
  companies: { id: number; name: string; status: Company['status'] }[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { busy, run } = useAction();
  const [editing, setEditing] = useState(false);
  const initial = useMemo(() => companies.map((c) => ({ id: c.id, name: c.name, status: c.status }) as Company), [companies]);
  type Fields = { company_ids: number[]; goal: string; visits_planned: number | null };
  const fromPlan = (): Fields => ({ company_ids: plan?.company_ids ?? [], goal: plan?.goal ?? '', visits_planned: plan?.visits_planned ?? null });
  const [f, setF] = useState<Fields>(fromPlan);
  useEffect(() => setF(fromPlan()), [plan]);

  const submitted = !!plan && !editing;

  const save = (v: { company_ids?: number[]; goal?: string; visits_planned?: number | null }) =>
    run(async () => {
      const body: Record<string, unknown> = {
        company_ids: v.company_ids ?? [],
        goal: v.goal ?? '',
      };
      if (v.visits_planned !== null && v.visits_planned !== undefined) body.visits_planned = v.visits_planned;
      if (plan) body.version = plan.version;
      await api<Plan>('PUT', `/plans/${today}`, body);
      setEditing(false);
      toast.success(t('plan.saved'));
      onSaved();
    }, () => {
      onSaved();
      return false;
    });

  const planned = plan?.visits_planned;
  return (
    <Card
      title={
        <span>
          <SunOutlined style={{ color: '#fa8c16' }} /> {t('plan.title')}
        </span>
      }
      extra={submitted ? <Tag icon={<CheckCircleFilled />} color="success">{t('plan.submitted')}</Tag> : <Tag color="warning">{t('plan.notSubmitted')}</Tag>}
      data-testid="plan-card"
      style={{ height: '100%' }}
    >
      {submitted ? (
        <div>
          <div className="tj-muted" style={{ fontSize: 12 }}>{t('plan.goal')}</div>
          <div className="tj-pre" style={{ marginBottom: 8 }}>{plan!.goal || <span className="tj-muted">{t('plan.blank')}</span>}</div>
          <div className="tj-muted" style={{ fontSize: 12 }}>{t('plan.companies')}</div>
          <div style={{ marginBottom: 8 }}>
            {companies.length ? companies.map((c) => <Tag key={c.id} style={{ marginBottom: 4 }}>{c.name}</Tag>) : <span className="tj-muted">{t('plan.blank')}</span>}
          </div>
          <div className="tj-muted" style={{ fontSize: 12 }}>{t('plan.visitsPlanned')}</div>
          <div style={{ marginBottom: 12 }} data-testid="plan-visits-planned">
            {planned === null || planned === undefined ? <span className="tj-muted">{t('plan.blank')}</span> : t('plan.visitsN', { n: planned })}
          </div>
          <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(f);
          }}
        >
          <Field label={t('plan.companies')} htmlFor="plan-companies">
            <PickerField
              id="plan-companies"
              multiple
              initial={initial}
              placeholder={t('plan.companiesPh')}
              testId="plan-companies"
              value={f.company_ids}
              onChange={(v: number[] | undefined) => setF((o) => ({ ...o, company_ids: v ?? [] }))}
            />
          </Field>
          <Field label={t('plan.goal')} htmlFor="plan-goal">
            <TextArea id="plan-goal" rows={2} className="tj-grow tj-grow-r2 tj-grow-5" placeholder={t('plan.goalPh')} maxLength={1000} data-testid="plan-goal" value={f.goal} onChange={(e) => setF((o) => ({ ...o, goal: e.target.value }))} />
          </Field>
          <Field label={t('plan.visitsPlanned')} htmlFor="plan-visits">
            <InputNumber id="plan-visits" min={0} max={100} style={{ width: 140 }} size="large" data-testid="plan-visits" value={f.visits_planned} onChange={(v) => setF((o) => ({ ...o, visits_planned: v }))} />
          </Field>
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="plan-submit">
            {t('plan.submit')}
          </Button>
        </form>
      )}
    </Card>
  );
}

function ReviewCard({ today, review, live, onSaved }: { today: string; review: Review | null; live: DayFigures; onSaved: () => void }) {
  const { t, fmt } = useI18n();
  const { busy, run } = useAction();
  type Fields = { wins: string; problems: string; help_wanted: string };
  const fromReview = (): Fields => ({ wins: review?.wins ?? '', problems: review?.problems ?? '', help_wanted: review?.help_wanted ?? '' });
  const [f, setF] = useState<Fields>(fromReview);
  useEffect(() => {
    if (review) setF(fromReview());
  }, [review]);

  const results = review?.results ?? live;

  const save = (v: { wins?: string; problems?: string; help_wanted?: string }) =>
    run(async () => {
      const body: Record<string, unknown> = { wins: v.wins ?? '', problems: v.problems ?? '', help_wanted: v.help_wanted ?? '' };
      if (review) body.version = review.version;
      await api<Review>('PUT', `/reviews/${today}`, body);
      toast.success(t('review.saved'));
      onSaved();
    });

  return (
    <Card
      title={
        <span>
          <MoonOutlined style={{ color: '#722ed1' }} /> {t('review.title')}
        </span>
      }
      extra={review ? <Tag icon={<CheckCircleFilled />} color="success">{t('plan.submitted')}</Tag> : null}
      data-testid="review-card"
      style={{ height: '100%' }}
    >
      <div style={{ background: '#fff7e6', borderRadius: 10, padding: '10px 12px', marginBottom: 16 }}>
        <div className="tj-muted" style={{ fontSize: 12, marginBottom: 6 }}>{t('review.results')}</div>
        <Row gutter={[8, 8]}>
          <Col xs={12} sm={6}><Statistic title={t('metric.visits')} value={results.visits} valueStyle={{ fontSize: 20 }} /></Col>
          <Col xs={12} sm={6}><Statistic title={t('metric.visits_new')} value={results.visits_new} valueStyle={{ fontSize: 20 }} /></Col>
          <Col xs={12} sm={6}><Statistic title={t('metric.effective_new')} value={results.effective_new} valueStyle={{ fontSize: 20, color: '#c8281e' }} /></Col>
          <Col xs={12} sm={6}><Statistic title={t('metric.deals')} value={results.deals} valueStyle={{ fontSize: 20 }} /></Col>
        </Row>
        {results.signed_amount > 0 && (
          <div style={{ marginTop: 6 }}>{t('metric.signed_amount')}: <b>{fmt.money(results.signed_amount)}</b></div>
        )}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(f);
        }}
      >
        <Field label={t('review.wins')} htmlFor="review-wins">
          <TextArea id="review-wins" rows={2} className="tj-grow tj-grow-r2 tj-grow-6" maxLength={5000} placeholder={t('review.winsPh')} data-testid="review-wins" value={f.wins} onChange={(e) => setF((o) => ({ ...o, wins: e.target.value }))} />
        </Field>
        <Field label={t('review.problems')} htmlFor="review-problems">
          <TextArea id="review-problems" rows={2} className="tj-grow tj-grow-r2 tj-grow-6" maxLength={5000} placeholder={t('review.problemsPh')} data-testid="review-problems" value={f.problems} onChange={(e) => setF((o) => ({ ...o, problems: e.target.value }))} />
        </Field>
        <Field label={t('review.help')} htmlFor="review-help">
          <TextArea id="review-help" rows={1} className="tj-grow tj-grow-r1 tj-grow-4" maxLength={5000} placeholder={t('review.helpPh')} data-testid="review-help" value={f.help_wanted} onChange={(e) => setF((o) => ({ ...o, help_wanted: e.target.value }))} />
        </Field>
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="review-submit">
          {review ? t('review.update') : t('review.submit')}
        </Button>
      </form>
    </Card>
  );
}

/** The daily effective new customers against the daily quota (bars green where reached). */
export function TrendChart({ rows }: { rows: { day: string; effective: number; quota: number }[] }) {
  const { t, fmt } = useI18n();
  const option = useMemo(
    () => ({
      grid: { left: 8, right: 12, top: 36, bottom: 4, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 10 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: rows.map((r) => `${r.day.slice(5).replace('-', '/')}\n${fmt.weekday(r.day)}`),
        axisLabel: { fontSize: 10, interval: 0, lineHeight: 13 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('metric.effective_new'),
          type: 'bar',
          itemStyle: { color: palette.orange },
          barMaxWidth: 26,
          data: rows.map((r) => ({
            value: r.effective,
            itemStyle: { color: r.quota > 0 && r.effective >= r.quota ? palette.green : palette.orange, borderRadius: [4, 4, 0, 0] },
          })),
        },
        {
          name: t('chart.quota'),
          type: 'line',
          step: 'middle',
          symbol: 'none',
          lineStyle: { color: palette.red, type: 'dashed', width: 2 },
          itemStyle: { color: palette.red },
          data: rows.map((r) => r.quota),
        },
      ],
    }),
    [rows, t, fmt],
  );
  return <Chart option={option} height={260} testId="chart-daily" />;
}

/** Daily effective new customers against the daily quota, over the last ten working days. */
export function DailyTrend({ today, repId, teamId }: { today: string; repId?: number; teamId?: number }) {
  const { t } = useI18n();
  const settings = useAsync(() => get<Settings>('/settings'), []);
  const days = useMemo(
    () => (settings.data ? lastWorkingDays(today, 10, settings.data.working_days, settings.data.holidays) : []),
    [today, settings.data],
  );
  const data = useAsync(async () => {
    if (!days.length) return [];
    return Promise.all(
      days.map((d) =>
        get<MetricsList>('/metrics/reps', { from: d, to: d, team_id: teamId }).then((m) => {
          const rows = repId ? m.items.filter((r) => r.rep_id === repId) : m.items.filter((r) => r.active);
          return {
            day: d,
            effective: rows.reduce((s, r) => s + r.effective_new, 0),
            quota: rows.reduce((s, r) => s + r.quota_effective_new, 0),
            visits: rows.reduce((s, r) => s + r.visits_new, 0),
          };
        }),
      ),
    );
  }, [days.join(','), repId, teamId]);

  return (
    <Card
      title={
        <span>
          <LineChartOutlined /> {t('chart.dailyEffective')}
        </span>
      }
      size="small"
      style={{ height: '100%' }}
    >
      <ErrorBox error={data.error ?? settings.error} />
      {data.loading || settings.loading ? <Skeleton active /> : <TrendChart rows={data.data ?? []} />}
    </Card>
  );
}
