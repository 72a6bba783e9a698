import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Skeleton, Statistic, Tag } from 'antd';
import { CheckCircleFilled, EditOutlined, MoonOutlined, SunOutlined, BellOutlined, LineChartOutlined } from '@ant-design/icons';
import {
  api,
  get,
  getOr404,
  type Alert,
  type Company,
  type List,
  type MetricsList,
  type Plan,
  type Review,
  type Settings,
} from '../api';
import { useMe } from '../auth';
import { useI18n } from '../i18n';
import { useAsync } from '../hooks';
import { useRouter } from '../router';
import { todayIn, lastWorkingDays } from '../dates';
import { CompanyPicker, ErrorBox, QuotaRing, useErrText } from '../components/common';
import AlertList from '../components/AlertList';
import Chart, { palette } from '../components/Chart';
import Feed from '../components/Feed';
import { loadCompany } from '../companyNames';
import { UpcomingBookings } from '../components/Bookings';

export function greetingKey(tz: string) {
  const h = Number(new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', hour12: false }).format(new Date()));
  return h < 11 ? 'today.morning' : h < 18 ? 'today.afternoon' : 'today.evening';
}

export default function Today() {
  const me = useMe();
  const { t, fmt, tz } = useI18n();
  const { navigate } = useRouter();
  const today = todayIn(tz);

  const metrics = useAsync(() => get<MetricsList>('/metrics/reps', { from: today, to: today }), [today]);
  const mine = metrics.data?.items.find((r) => r.rep_id === me.id);
  const alerts = useAsync(() => get<List<Alert>>('/alerts', { as_of: today, rep_id: me.id, limit: 200 }), [today]);

  return (
    <div className="tj-card-gap">
      <div className="tj-hero">
        <h2>{t(greetingKey(tz) as 'today.morning', { name: me.display_name })}</h2>
        <div className="sub">
          {fmt.longDate(today)} · {t('today.motto')}
        </div>
      </div>

      <UpcomingBookings />

      <Card
        title={t('today.quota')}
        extra={
          <Button type="primary" icon={<EditOutlined />} onClick={() => navigate('/visit')} data-testid="today-log-visit">
            {t('today.logVisit')}
          </Button>
        }
      >
        <ErrorBox error={metrics.error} />
        {metrics.loading && !metrics.data ? (
          <Skeleton active paragraph={{ rows: 2 }} />
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12}>
              <QuotaRing
                testId="quota-visits"
                label={t('today.visitsNew')}
                done={mine?.visits_new ?? 0}
                quota={mine?.quota_visits_new ?? 0}
              />
            </Col>
            <Col xs={24} sm={12}>
              <QuotaRing
                testId="quota-effective"
                label={t('today.effectiveNew')}
                done={mine?.effective_new ?? 0}
                quota={mine?.quota_effective_new ?? 0}
              />
            </Col>
          </Row>
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <PlanCard today={today} />
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
            <ErrorBox error={alerts.error} />
            {alerts.loading ? (
              <Skeleton active />
            ) : (
              <AlertList alerts={(alerts.data?.items ?? []).filter((a) => !a.rep_id || a.rep_id === me.id)} onChanged={alerts.reload} />
            )}
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <ReviewCard today={today} />
        </Col>
        <Col xs={24} lg={12}>
          <div className="tj-card-gap">
            <DailyTrend today={today} repId={me.id} />
            <Card size="small" title={t('feed.title')} data-testid="today-feed">
              <Feed asOf={today} days={3} />
            </Card>
          </div>
        </Col>
      </Row>
    </div>
  );
}

function PlanCard({ today }: { today: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const [form] = Form.useForm();
  const plan = useAsync(() => getOr404<Plan>(`/plans/${today}`), [today]);
  const [initial, setInitial] = useState<Company[]>([]);
  const [saving, setSaving] = useState(false);
  const [editing, setEditing] = useState(false);

  useEffect(() => {
    const p = plan.data;
    if (!p) return;
    form.setFieldsValue({ company_ids: p.company_ids, goal: p.goal, visits_planned: p.visits_planned });
    Promise.all(p.company_ids.map(loadCompany)).then((cs) => setInitial(cs.filter(Boolean) as Company[]));
  }, [plan.data, form]);

  const submitted = !!plan.data && !editing;

  const save = async (v: { company_ids?: number[]; goal?: string; visits_planned?: number | null }) => {
    setSaving(true);
    try {
      const body: Record<string, unknown> = {
        company_ids: v.company_ids ?? [],
        goal: v.goal ?? '',
      };
      if (v.visits_planned !== null && v.visits_planned !== undefined) body.visits_planned = v.visits_planned;
      if (plan.data) body.version = plan.data.version;
      const p = await api<Plan>('PUT', `/plans/${today}`, body);
      plan.setData(p);
      setEditing(false);
      message.success(t('plan.saved'));
    } catch (e) {
      message.error(errText(e));
      plan.reload();
    } finally {
      setSaving(false);
    }
  };

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
      <ErrorBox error={plan.error} />
      {plan.loading ? (
        <Skeleton active />
      ) : submitted ? (
        <div>
          <div className="tj-muted" style={{ fontSize: 12 }}>{t('plan.goal')}</div>
          <div className="tj-pre" style={{ marginBottom: 8 }}>{plan.data!.goal || '—'}</div>
          <div className="tj-muted" style={{ fontSize: 12 }}>{t('plan.companies')}</div>
          <div style={{ marginBottom: 8 }}>
            {initial.length ? initial.map((c) => <Tag key={c.id} style={{ marginBottom: 4 }}>{c.name}</Tag>) : '—'}
          </div>
          <div className="tj-muted" style={{ fontSize: 12 }}>{t('plan.visitsPlanned')}</div>
          <div style={{ marginBottom: 12 }}>{plan.data!.visits_planned ?? '—'}</div>
          <Button onClick={() => setEditing(true)}>{t('common.edit')}</Button>
        </div>
      ) : (
        <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
          <Form.Item name="company_ids" label={t('plan.companies')}>
            <CompanyPicker multiple initial={initial} placeholder={t('plan.companiesPh')} testId="plan-companies" />
          </Form.Item>
          <Form.Item name="goal" label={t('plan.goal')}>
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('plan.goalPh')} maxLength={1000} data-testid="plan-goal" />
          </Form.Item>
          <Form.Item name="visits_planned" label={t('plan.visitsPlanned')}>
            <InputNumber min={0} max={100} style={{ width: 140 }} size="large" inputMode="numeric" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} block data-testid="plan-submit">
            {t('plan.submit')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function ReviewCard({ today }: { today: string }) {
  const { t, fmt } = useI18n();
  const me = useMe();
  const { message } = App.useApp();
  const errText = useErrText();
  const [form] = Form.useForm();
  const review = useAsync(() => getOr404<Review>(`/reviews/${today}`), [today]);
  const live = useAsync(() => get<MetricsList>('/metrics/reps', { from: today, to: today }), [today]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (review.data) form.setFieldsValue(review.data);
  }, [review.data, form]);

  const row = live.data?.items.find((r) => r.rep_id === me.id);
  const results = review.data?.results ?? (row ? { visits: row.visits, visits_new: row.visits_new, effective_new: row.effective_new, deals: row.deals, signed_amount: row.signed_amount } : undefined);

  const save = async (v: { wins?: string; problems?: string; help_wanted?: string }) => {
    setSaving(true);
    try {
      const body: Record<string, unknown> = { wins: v.wins ?? '', problems: v.problems ?? '', help_wanted: v.help_wanted ?? '' };
      if (review.data) body.version = review.data.version;
      await api<Review>('PUT', `/reviews/${today}`, body);
      message.success(t('review.saved'));
      review.reload();
    } catch (e) {
      message.error(errText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card
      title={
        <span>
          <MoonOutlined style={{ color: '#722ed1' }} /> {t('review.title')}
        </span>
      }
      extra={review.data ? <Tag icon={<CheckCircleFilled />} color="success">{t('plan.submitted')}</Tag> : null}
      data-testid="review-card"
      style={{ height: '100%' }}
    >
      <ErrorBox error={review.error} />
      <div style={{ background: '#fff7e6', borderRadius: 10, padding: '10px 12px', marginBottom: 16 }}>
        <div className="tj-muted" style={{ fontSize: 12, marginBottom: 6 }}>{t('review.results')}</div>
        <Row gutter={[8, 8]}>
          <Col xs={12} sm={6}><Statistic title={t('metric.visits')} value={results?.visits ?? 0} valueStyle={{ fontSize: 20 }} /></Col>
          <Col xs={12} sm={6}><Statistic title={t('metric.visits_new')} value={results?.visits_new ?? 0} valueStyle={{ fontSize: 20 }} /></Col>
          <Col xs={12} sm={6}><Statistic title={t('metric.effective_new')} value={results?.effective_new ?? 0} valueStyle={{ fontSize: 20, color: '#c8281e' }} /></Col>
          <Col xs={12} sm={6}><Statistic title={t('metric.deals')} value={results?.deals ?? 0} valueStyle={{ fontSize: 20 }} /></Col>
        </Row>
        {results && results.signed_amount > 0 && (
          <div style={{ marginTop: 6 }}>{t('metric.signed_amount')}: <b>{fmt.money(results.signed_amount)}</b></div>
        )}
      </div>
      <Form form={form} layout="vertical" onFinish={save} requiredMark={false}>
        <Form.Item name="wins" label={t('review.wins')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} placeholder={t('review.winsPh')} data-testid="review-wins" />
        </Form.Item>
        <Form.Item name="problems" label={t('review.problems')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} placeholder={t('review.problemsPh')} data-testid="review-problems" />
        </Form.Item>
        <Form.Item name="help_wanted" label={t('review.help')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={5000} placeholder={t('review.helpPh')} data-testid="review-help" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} block data-testid="review-submit">
          {review.data ? t('review.update') : t('review.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** Daily effective new customers against the daily quota, over the last ten working days. */
export function DailyTrend({ today, repId, teamId }: { today: string; repId?: number; teamId?: number }) {
  const { t, fmt } = useI18n();
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

  const option = useMemo(() => {
    const rows = data.data ?? [];
    return {
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
    };
  }, [data.data, t, fmt]);

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
      {data.loading || settings.loading ? <Skeleton active /> : <Chart option={option} height={260} testId="chart-daily" />}
    </Card>
  );
}
