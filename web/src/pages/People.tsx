import { useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Progress, Rate, Row, Select, Skeleton, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, get } from '../api';
import { useI18n, type Key } from '../i18n';
import { useAsync, useUsers } from '../hooks';
import { todayIn } from '../dates';
import { ErrorBox, useErrText } from '../components/common';
import Chart, { palette } from '../components/Chart';
import { escapeHtml } from '../html';

export const VALUES = ['customer_first', 'teamwork', 'embrace_change', 'integrity', 'passion', 'dedication'] as const;
const QUADRANTS = ['star', 'wild_dog', 'white_rabbit', 'ox', 'dog'];
const TRAINING = ['values', 'mindset', 'skills'] as const;
const quadColor: Record<string, string> = { star: palette.gold, wild_dog: palette.red, white_rabbit: palette.blue, ox: palette.teal, dog: '#8c8c8c' };
// The same colours, dark enough for white text on a tag (WCAG AA 4.5:1).
const quadTag: Record<string, string> = { star: '#874d00', wild_dog: '#a8071a', white_rabbit: '#0958d9', ox: '#006d75', dog: '#595959' };

interface TalentItem {
  rep_id: number;
  display_name: string;
  performance: number;
  effective_new?: number;
  quota_effective_new?: number;
  values: number | null;
  category: string | null;
}

interface Assessment {
  id: number;
  user_id: number;
  assessor_id: number;
  period: string;
  comment: string;
  average: number;
  [k: string]: unknown;
}

interface Training {
  id: number;
  user_id: number;
  kind: string;
  title: string;
  date: string;
  hours: number;
  notes: string;
}

export default function People() {
  const { t, fmt, tz } = useI18n();
  const today = todayIn(tz);
  const { users, byId } = useUsers();
  const reps = users.filter((u) => u.role === 'rep' && u.active);
  const talent = useAsync(() => get<{ items: TalentItem[] }>('/talent', { as_of: today }), [today]);
  const training = useAsync(() => get<{ items: Training[] }>('/training'), []);
  const [valuesFor, setValuesFor] = useState<number | null>(null);
  const [trainingOpen, setTrainingOpen] = useState(false);
  const points = (talent.data?.items ?? []).filter((p) => typeof p.values === 'number');
  const unassessed = (talent.data?.items ?? []).filter((p) => p.values === null);

  const option = useMemo(
    () => ({
      grid: { left: 30, right: 48, top: 24, bottom: 34, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { name: string; value: number[]; q: string } }) =>
          `${escapeHtml(p.data.name)}<br/>${t('talent.performance')}: ${fmt.pct(p.data.value[0])}<br/>${t('talent.values')}: ${p.data.value[1].toFixed(1)}<br/>${p.data.q ? t(`talent.${p.data.q}` as Key) : ''}`,
      },
      xAxis: { name: t('talent.performanceShort'), nameLocation: 'middle', nameGap: 24, type: 'value', min: 0, max: 1.5, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      yAxis: { name: t('talent.valuesShort'), nameLocation: 'middle', nameGap: 28, type: 'value', min: 1, max: 5 },
      series: [
        {
          type: 'scatter',
          symbolSize: 20,
          label: { show: true, position: 'right', formatter: (p: { data: { name: string } }) => p.data.name, fontSize: 11 },
          data: points.map((p) => ({
            name: p.display_name,
            q: p.category ?? '',
            value: [Math.min(1.5, p.performance), p.values as number],
            itemStyle: { color: quadColor[p.category ?? ''] ?? palette.orange },
          })),
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#d9d9d9', type: 'dashed' },
            label: { show: false },
            data: [{ xAxis: 1 }, { yAxis: 3 }],
          },
        },
      ],
    }),
    [points, t, fmt],
  );

  return (
    <div className="tj-card-gap">
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={15}>
          <Card size="small" title={t('talent.title')} style={{ height: '100%' }} data-testid="talent">
            <ErrorBox error={talent.error} />
            {talent.loading ? (
              <Skeleton active />
            ) : talent.data === null ? (
              null
            ) : points.length ? (
              <Chart option={option} height={340} testId="chart-talent" />
            ) : (
              <Empty description={t('talent.noValues')} />
            )}
            {unassessed.length > 0 && (
              <div style={{ marginTop: 8, fontSize: 13 }}>
                <span className="tj-muted">{t('talent.unassessed')} </span>
                {unassessed.map((p) => (
                  <Tag key={p.rep_id} style={{ cursor: 'pointer' }} onClick={() => setValuesFor(p.rep_id)}>
                    {p.display_name} · {fmt.pct(p.performance)}
                  </Tag>
                ))}
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card size="small" title={t('talent.legend')} style={{ height: '100%' }}>
            <List
              size="small"
              dataSource={QUADRANTS}
              renderItem={(q) => (
                <List.Item>
                  <div>
                    <Tag color={quadTag[q]}>{t(`talent.${q}` as Key)}</Tag>
                    <span className="tj-muted" style={{ fontSize: 13 }}>{t(`talent.${q}.hint` as Key)}</span>
                    <div style={{ marginTop: 2 }}>
                      {points.filter((p) => p.category === q).map((p) => (
                        <Tag key={p.rep_id} bordered={false}>{p.display_name}</Tag>
                      ))}
                    </div>
                  </div>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t('people.values')}>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
          {VALUES.map((v) => (
            <Tag key={v} color="volcano" bordered={false}>{t(`value.${v}` as Key)}</Tag>
          ))}
        </div>
        <List
          dataSource={reps}
          locale={{ emptyText: t('team.noReps') }}
          renderItem={(u) => {
            const tp = talent.data?.items.find((p) => p.rep_id === u.id);
            return (
              <List.Item
                actions={[
                  <Button key="a" size="small" icon={<PlusOutlined />} onClick={() => setValuesFor(u.id)} data-testid="values-add">
                    {t('values.assess')}
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      <b className="tj-break">{u.display_name}</b>
                      {tp?.category && <Tag color={quadTag[tp.category]}>{t(`talent.${tp.category}` as Key)}</Tag>}
                    </Space>
                  }
                  description={
                    <div style={{ maxWidth: 420 }}>
                      <div style={{ fontSize: 12 }}>
                        {/* the talent chart's own figures (GET /talent): one source of truth for chart and list */}
                        <span data-testid="talent-list-figures">
                          {t('talent.performanceShort')} {tp ? fmt.pct(tp.performance) : '—'}
                          {tp && typeof tp.effective_new === 'number' ? ` (${t('people.effectiveOfQuota', { e: tp.effective_new, q: tp.quota_effective_new ?? 0 })})` : ''}
                        </span>
                        {typeof tp?.values === 'number' ? ` · ${t('talent.valuesShort')} ${tp.values.toFixed(1)}` : ''}
                      </div>
                      <Progress aria-label={t('people.attainment')} percent={Math.min(100, Math.round((tp?.performance ?? 0) * 100))} showInfo={false} size="small" strokeColor={(tp?.performance ?? 0) >= 1 ? '#52c41a' : '#f2641c'} />
                    </div>
                  }
                />
              </List.Item>
            );
          }}
        />
      </Card>

      <Card
        size="small"
        title={t('people.training')}
        extra={
          training.data !== null && (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setTrainingOpen(true)}>
              {t('training.add')}
            </Button>
          )
        }
        styles={{ body: { padding: training.data ? 0 : undefined } }}
      >
        <ErrorBox error={training.error} />
        {training.loading ? (
          <Skeleton active />
        ) : training.data === null ? (
          null
        ) : (
          <div className="tj-scroll-x">
            <Table<Training>
          scroll={{ x: 'max-content' }}
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={training.data?.items ?? []}
              locale={{ emptyText: t('training.none') }}
              columns={[
                { title: t('training.date'), dataIndex: 'date', width: 110, render: (d) => fmt.date(d) },
                { title: t('lb.rep'), dataIndex: 'user_id', render: (id: number) => byId.get(id)?.display_name ?? `#${id}` },
                { title: t('training.kind'), dataIndex: 'kind', render: (k: string) => <Tag color="blue">{t(`training.${k}` as Key)}</Tag> },
                { title: t('training.titleCol'), dataIndex: 'title', render: (v) => <span className="tj-break">{v}</span> },
                { title: t('training.hours'), dataIndex: 'hours', align: 'right', render: (h) => fmt.num(h, 1) },
              ]}
            />
          </div>
        )}
      </Card>

      <ValuesDialog
        userId={valuesFor}
        name={valuesFor ? byId.get(valuesFor)?.display_name ?? '' : ''}
        onClose={() => setValuesFor(null)}
        onDone={() => {
          setValuesFor(null);
          talent.reload();
        }}
      />
      <TrainingDialog open={trainingOpen} reps={reps.map((u) => ({ value: u.id, label: u.display_name }))} onClose={() => setTrainingOpen(false)} onDone={() => { setTrainingOpen(false); training.reload(); }} />
    </div>
  );
}

function ValuesDialog({ userId, name, onClose, onDone }: { userId: number | null; name: string; onClose: () => void; onDone: () => void }) {
  const { t, fmt } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const history = useAsync(() => (userId ? get<{ items: Assessment[] }>('/values', { user_id: userId }) : Promise.resolve(null)), [userId]);
  const quarter = () => {
    const d = dayjs();
    return `${d.year()}-Q${Math.floor(d.month() / 3) + 1}`;
  };
  return (
    <Modal open={userId !== null} title={t('values.title', { name })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnClose okText={t('common.save')}>
      <Form
        form={form}
        layout="horizontal"
        labelCol={{ span: 8 }}
        preserve={false}
        initialValues={{ period: quarter(), ...Object.fromEntries(VALUES.map((v) => [v, 3])) }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            await api('POST', '/values', { user_id: userId, period: v.period.trim(), comment: (v.comment ?? '').trim(), ...Object.fromEntries(VALUES.map((k) => [k, v[k]])) });
            message.success(t('common.saved'));
            onDone();
          } catch (e) {
            message.error(errText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="period" label={t('values.period')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={20} />
        </Form.Item>
        {VALUES.map((k) => (
          <Form.Item key={k} name={k} label={t(`value.${k}` as Key)} style={{ marginBottom: 6 }}>
            <Rate count={5} allowClear={false} />
          </Form.Item>
        ))}
        <Form.Item name="comment" label={t('values.comment')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
      {history.data?.items.length ? (
        <div style={{ fontSize: 12 }} className="tj-muted">
          {t('values.history')}: {history.data.items.map((a) => `${a.period} ${fmt.num(a.average, 1)}`).join(' · ')}
        </div>
      ) : null}
    </Modal>
  );
}

function TrainingDialog({ open, reps, onClose, onDone }: { open: boolean; reps: { value: number; label: string }[]; onClose: () => void; onDone: () => void }) {
  const { t, tz } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={open} title={t('training.add')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnClose okText={t('common.save')}>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ kind: 'skills', date: dayjs(todayIn(tz)), hours: 2 }}
        onFinish={async (v) => {
          setBusy(true);
          try {
            await api('POST', '/training', { user_id: v.user_id, kind: v.kind, title: v.title.trim(), date: v.date.format('YYYY-MM-DD'), hours: v.hours ?? 0, notes: (v.notes ?? '').trim() });
            message.success(t('common.saved'));
            onDone();
          } catch (e) {
            message.error(errText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="user_id" label={t('lb.rep')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={reps} showSearch optionFilterProp="label" />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="kind" label={t('training.kind')}>
              <Select options={TRAINING.map((k) => ({ value: k, label: t(`training.${k}` as Key) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="hours" label={t('training.hours')}>
              <InputNumber min={0} max={200} step={0.5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label={t('training.titleCol')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="date" label={t('training.date')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="notes" label={t('visit.notes')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
