import { useMemo } from 'react';
import { Card, Col, Empty, List, Progress, Row, Skeleton, Tag } from 'antd';
import { get, getOptional, type MetricsList } from '../api';
import { useI18n, type Key } from '../i18n';
import { useAsync } from '../hooks';
import { monthStart, todayIn } from '../dates';
import { ComingSoon, ErrorBox } from '../components/common';
import Chart, { palette } from '../components/Chart';

export const VALUES = ['customer_first', 'teamwork', 'embrace_change', 'integrity', 'passion', 'dedication'];
const QUADRANTS = ['star', 'wild_dog', 'white_rabbit', 'ox', 'dog'];
const quadColor: Record<string, string> = { star: palette.gold, wild_dog: palette.red, white_rabbit: palette.blue, ox: palette.teal, dog: palette.grey };

interface TalentItem {
  rep_id: number;
  display_name?: string;
  performance?: number | null;
  values?: number | null;
  quadrant?: string | null;
  [k: string]: unknown;
}

export default function People() {
  const { t, fmt, tz } = useI18n();
  const today = todayIn(tz);
  const metrics = useAsync(() => get<MetricsList>('/metrics/reps', { from: monthStart(today), to: today }), [today]);
  const talent = useAsync(() => getOptional<{ items: TalentItem[] }>('/talent', { as_of: today }), [today]);
  const reps = (metrics.data?.items ?? []).filter((r) => r.active);
  const points = (talent.data?.items ?? []).filter((p) => typeof p.performance === 'number' && typeof p.values === 'number');

  const option = useMemo(
    () => ({
      grid: { left: 48, right: 24, top: 24, bottom: 44 },
      tooltip: { trigger: 'item', formatter: (p: { data: { name: string; value: number[]; q: string } }) => `${p.data.name}<br/>${t('talent.performance')}: ${Math.round(p.data.value[0] * 100)}%<br/>${t('talent.values')}: ${p.data.value[1].toFixed(1)}` },
      xAxis: { name: t('talent.performance'), nameLocation: 'middle', nameGap: 28, type: 'value', min: 0, max: 1.5, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      yAxis: { name: t('talent.values'), nameLocation: 'middle', nameGap: 30, type: 'value', min: 1, max: 5 },
      series: [
        {
          type: 'scatter',
          symbolSize: 18,
          label: { show: true, position: 'right', formatter: (p: { data: { name: string } }) => p.data.name, fontSize: 11 },
          data: points.map((p) => ({
            name: p.display_name ?? `#${p.rep_id}`,
            q: p.quadrant ?? '',
            value: [Math.min(1.5, p.performance as number), p.values as number],
            itemStyle: { color: quadColor[p.quadrant ?? ''] ?? palette.orange },
          })),
          markArea: {
            silent: true,
            itemStyle: { opacity: 0.06 },
            data: [
              [{ xAxis: 1, yAxis: 4, itemStyle: { color: palette.gold } }, { xAxis: 1.5, yAxis: 5 }],
              [{ xAxis: 1, yAxis: 1, itemStyle: { color: palette.red } }, { xAxis: 1.5, yAxis: 3 }],
              [{ xAxis: 0, yAxis: 4, itemStyle: { color: palette.blue } }, { xAxis: 0.6, yAxis: 5 }],
            ],
          },
        },
      ],
    }),
    [points, t],
  );

  return (
    <div className="tj-card-gap">
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('talent.title')} style={{ height: '100%' }}>
            <ErrorBox error={talent.error} />
            {talent.loading ? (
              <Skeleton active />
            ) : talent.data === null ? (
              <ComingSoon what="soon.talent" />
            ) : points.length ? (
              <Chart option={option} height={340} testId="chart-talent" />
            ) : (
              <Empty description={t('talent.noValues')} />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('talent.legend')} style={{ height: '100%' }}>
            <List
              size="small"
              dataSource={QUADRANTS}
              renderItem={(q) => (
                <List.Item>
                  <div>
                    <Tag color={quadColor[q]} style={{ color: q === 'dog' ? '#595959' : undefined }}>{t(`talent.${q}` as Key)}</Tag>
                    <span className="tj-muted" style={{ fontSize: 13 }}>{t(`talent.${q}.hint` as Key)}</span>
                  </div>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('people.attainment')} extra={<span className="tj-muted" style={{ fontSize: 12 }}>{fmt.date(monthStart(today))} – {fmt.date(today)}</span>}>
        <ErrorBox error={metrics.error} />
        {metrics.loading ? (
          <Skeleton active />
        ) : (
          <List
            dataSource={reps}
            locale={{ emptyText: t('team.noReps') }}
            renderItem={(r) => (
              <List.Item>
                <div style={{ width: '100%' }}>
                  <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                    <b className="tj-break">{r.display_name}</b>
                    <span className="tj-muted">
                      {r.effective_new}/{r.quota_effective_new} · {fmt.pct(r.attainment)}
                    </span>
                  </div>
                  <Progress percent={Math.min(100, Math.round((r.attainment ?? 0) * 100))} showInfo={false} strokeColor={(r.attainment ?? 0) >= 1 ? '#52c41a' : '#f2641c'} size="small" />
                </div>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} md={12}>
          <Card size="small" title={t('people.values')}>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginBottom: 12 }}>
              {VALUES.map((v) => (
                <Tag key={v} color="volcano">{t(`value.${v}` as Key)}</Tag>
              ))}
            </div>
            <ComingSoon what="soon.values" />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small" title={t('people.training')}>
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginBottom: 12 }}>
              {(['values', 'mindset', 'skills'] as const).map((v) => (
                <Tag key={v} color="blue">{t(`training.${v}` as Key)}</Tag>
              ))}
            </div>
            <ComingSoon what="soon.training" />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
