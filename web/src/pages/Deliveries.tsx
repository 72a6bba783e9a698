// Admins: the organisation's notification channels (DingTalk and WeCom group
// robots, signed webhooks; the secret is write-only) and the delivery outbox
// (see what was sent, what waits and why, retry what died).
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, Popconfirm, Segmented, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { api, get, type List } from '../api';
import { useAsync, useIsMobile, useTeams } from '../hooks';
import { useI18n, type Key } from '../i18n';

interface Channel {
  id: number;
  kind: 'dingtalk' | 'wecom' | 'webhook';
  name: string;
  url: string;
  team_id: number | null;
  events: string[] | null;
  active: boolean;
  has_secret: boolean;
  version: number;
}
interface Delivery {
  id: number;
  event_id: string;
  channel_id: number;
  event: string;
  kind: string;
  title: string;
  text: string;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  last_error: string;
  created_at: string;
  sent_at: string | null;
}
const EVENTS = ['plan_missing', 'review_missing', 'alert_digest', 'booking', 'feed_reaction', 'pool_release_soon', 'nurture_due',
  'behind_pace', 'duplicate_attempt'];
const KIND_LABEL: Record<string, string> = { dingtalk: '钉钉 DingTalk', wecom: '企业微信 WeCom', webhook: 'Webhook' };
const STATUS_COLOR: Record<string, string> = { pending: 'gold', sent: 'green', dead: 'red' };

export default function Deliveries() {
  const { t, fmt } = useI18n();
  const { message } = AntApp.useApp();
  const mobile = useIsMobile();
  const { teams } = useTeams();
  const channels = useAsync(() => get<List<Channel>>('/channels'), []);
  const [status, setStatus] = useState<string>('all');
  const deliveries = useAsync(
    () => get<List<Delivery>>('/deliveries', { status: status === 'all' ? undefined : status, limit: 100 }),
    [status],
  );
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const ev = (e: string) => t(`notify.ev.${e}` as Key);

  const add = async (v: { kind: string; name?: string; url: string; secret?: string; team_id?: number | null; events?: string[] }) => {
    setSaving(true);
    try {
      await api('POST', '/channels', {
        kind: v.kind, name: v.name || '', url: v.url, ...(v.secret ? { secret: v.secret } : {}),
        team_id: v.team_id ?? null, events: v.events && v.events.length ? v.events : null,
      });
      form.resetFields();
      channels.reload();
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setSaving(false);
    }
  };
  const toggle = async (c: Channel, active: boolean) => {
    try {
      await api('PATCH', `/channels/${c.id}`, { active, version: c.version });
    } catch (e) {
      message.error((e as Error).message);
    }
    channels.reload();
  };
  const remove = async (c: Channel) => {
    await api('DELETE', `/channels/${c.id}`).catch((e) => message.error((e as Error).message));
    channels.reload();
    deliveries.reload();
  };
  const retry = async (d: Delivery) => {
    await api('POST', `/deliveries/${d.id}/retry`, {}).catch((e) => message.error((e as Error).message));
    deliveries.reload();
  };
  const teamName = (id: number | null) => (id === null ? t('notify.wholeOrg') : teams.find((x) => x.id === id)?.name ?? `#${id}`);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="notify-page">
      <Card title={t('notify.channels')}>
        <Table<Channel>
          rowKey="id"
          size="small"
          pagination={false}
          loading={channels.loading}
          dataSource={channels.data?.items ?? []}
          scroll={{ x: true }}
          columns={[
            { title: t('notify.kind'), dataIndex: 'kind', render: (k: string, c) => <span>{KIND_LABEL[k]}{c.name ? ` · ${c.name}` : ''}</span> },
            { title: t('notify.url'), dataIndex: 'url', render: (u: string, c) => (
              <span className="tj-break" style={{ fontSize: 12 }}>{u}{c.has_secret && <Tag style={{ marginLeft: 6 }}>{t('notify.secretSet')}</Tag>}</span>) },
            { title: t('notify.team'), dataIndex: 'team_id', render: (id: number | null) => teamName(id) },
            { title: t('notify.events'), dataIndex: 'events', render: (e: string[] | null) => (e ? e.map((x) => <Tag key={x}>{ev(x)}</Tag>) : t('notify.allEvents')) },
            { title: t('notify.active'), dataIndex: 'active', render: (a: boolean, c) => <Switch size="small" checked={a} onChange={(v) => toggle(c, v)} /> },
            { title: '', key: 'x', render: (_: unknown, c) => (
              <Popconfirm title={t('notify.deleteConfirm')} onConfirm={() => remove(c)}>
                <Button size="small" danger type="link">{t('notify.delete')}</Button>
              </Popconfirm>) },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t('notify.add')}</Typography.Title>
        <Form form={form} layout={mobile ? 'vertical' : 'inline'} onFinish={add} initialValues={{ kind: 'dingtalk', team_id: null }}
          style={{ rowGap: 8 }} data-testid="channel-form">
          <Form.Item name="kind" label={t('notify.kind')}>
            <Select style={{ width: 160 }} options={Object.entries(KIND_LABEL).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="name" label={t('notify.name')}><Input style={{ width: 140 }} maxLength={100} /></Form.Item>
          <Form.Item name="url" label={t('notify.url')} rules={[{ required: true }]}>
            <Input style={{ width: mobile ? '100%' : 340 }} placeholder="https://oapi.dingtalk.com/robot/send?access_token=…" maxLength={2000} />
          </Form.Item>
          <Form.Item name="secret" label={t('notify.secret')}><Input.Password style={{ width: 200 }} maxLength={200} autoComplete="new-password" /></Form.Item>
          <Form.Item name="team_id" label={t('notify.team')}>
            <Select style={{ width: 160 }} options={[{ value: null, label: t('notify.wholeOrg') }, ...teams.map((x) => ({ value: x.id, label: x.name }))]} />
          </Form.Item>
          <Form.Item name="events" label={t('notify.events')}>
            <Select mode="multiple" allowClear style={{ minWidth: 220 }} placeholder={t('notify.allEvents')} options={EVENTS.map((e) => ({ value: e, label: ev(e) }))} />
          </Form.Item>
          <Form.Item><Button type="primary" htmlType="submit" loading={saving}>{t('notify.add')}</Button></Form.Item>
        </Form>
      </Card>
      <Card title={t('notify.deliveries')} extra={
        <Segmented size="small" value={status} onChange={(v) => setStatus(String(v))}
          options={['all', 'pending', 'sent', 'dead'].map((s) => ({ value: s, label: s === 'all' ? t('notify.all') : t(`notify.st.${s}` as Key) }))} />}>
        <Table<Delivery>
          rowKey="id"
          size="small"
          loading={deliveries.loading}
          dataSource={deliveries.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: true }}
          columns={[
            { title: t('notify.created'), dataIndex: 'created_at', render: (x: string) => fmt.dateTime(x), width: 150 },
            { title: t('notify.message'), dataIndex: 'text', render: (x: string, d) => (
              <div style={{ maxWidth: 420 }}><b>{d.title}</b><div className="tj-break tj-muted" style={{ fontSize: 12 }}>{x}</div></div>) },
            { title: t('notify.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`notify.st.${s}` as Key)}</Tag> },
            { title: t('notify.attempts'), dataIndex: 'attempts' },
            { title: t('notify.lastError'), dataIndex: 'last_error', render: (x: string) => <span style={{ fontSize: 12 }}>{x}</span> },
            { title: '', key: 'r', render: (_: unknown, d) => d.status !== 'sent' && (
              <Button size="small" onClick={() => retry(d)} data-testid="delivery-retry">{t('notify.retry')}</Button>) },
          ]}
        />
      </Card>
    </Space>
  );
}
