import { useEffect, useState } from 'react';
import { App, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError, get, type List as ListOf, type Role, type Settings, type Target, type Team, type User } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useTeams, useUsers, invalidateOrgCache } from '../hooks';
import { ErrorBox, useErrText } from '../components/common';
import { STYLES } from './CustomerDetail';
import { Tokens } from './Account';
import { IndustriesEditor } from './Industries';

export default function SettingsPage() {
  const { t } = useI18n();
  const me = useMe();
  return (
    <Tabs
      destroyInactiveTabPane
      items={[
        { key: 'users', label: t('settings.users'), children: <Users /> },
        { key: 'teams', label: t('settings.teams'), children: <Teams /> },
        { key: 'targets', label: t('settings.targets'), children: <Targets /> },
        { key: 'method', label: t('settings.method'), children: <Method /> },
        ...(me.role === 'admin' ? [{ key: 'tokens', label: t('settings.tokens'), children: <Tokens all /> }] : []),
        { key: 'industries', label: t('settings.industries'), children: <IndustriesEditor /> },
      ]}
    />
  );
}

function Users() {
  const me = useMe();
  const { t, fmt } = useI18n();
  const { message, modal } = App.useApp();
  const errText = useErrText();
  const { users, reload } = useUsers();
  const { teams } = useTeams();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const teamName = (id: number | null) => teams.find((x) => x.id === id)?.name ?? '—';
  const roles: Role[] = me.role === 'admin' ? ['rep', 'manager', 'director', 'admin'] : me.role === 'director' ? ['rep', 'manager'] : ['rep'];

  const toggle = (u: User) =>
    modal.confirm({
      title: u.active ? t('users.deactivateQ', { name: u.display_name }) : t('users.activateQ', { name: u.display_name }),
      content: u.active ? t('users.deactivateHint') : undefined,
      okButtonProps: { danger: u.active },
      onOk: async () => {
        try {
          await api('PATCH', `/users/${u.id}`, { active: !u.active, version: u.version });
          message.success(t('common.saved'));
          reload();
        } catch (e) {
          message.error(errText(e));
        }
      },
    });

  return (
    <Card
      size="small"
      title={t('settings.users')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('users.add')}
        </Button>
      }
      styles={{ body: { padding: 0 } }}
    >
      <div className="tj-scroll-x">
        <Table<User>
          scroll={{ x: 'max-content' }}
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={users}
          columns={[
            { title: t('users.name'), dataIndex: 'display_name', render: (v, u) => <span style={{ whiteSpace: 'nowrap' }}><b>{v}</b> <span className="tj-muted">@{u.username}</span></span> },
            { title: t('users.role'), dataIndex: 'role', render: (r: Role) => <Tag color={r === 'rep' ? 'blue' : 'volcano'}>{t(`role.${r}` as Key)}</Tag> },
            { title: t('users.team'), dataIndex: 'team_id', render: (id) => <span style={{ whiteSpace: 'nowrap' }}>{teamName(id)}</span> },
            { title: t('users.hired'), dataIndex: 'hire_date', responsive: ['md'], render: (d) => fmt.date(d) },
            { title: t('users.status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('users.active')}</Tag> : <Tag>{t('users.inactive')}</Tag>) },
            {
              title: '',
              key: 'a',
              align: 'right',
              render: (_, u) =>
                u.id !== me.id && (me.role === 'admin' || u.role === 'rep') ? (
                  <Button size="small" danger={u.active} onClick={() => toggle(u)}>
                    {u.active ? t('users.deactivate') : t('users.activate')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </div>
      <Modal open={open} title={t('users.add')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={busy} destroyOnClose okText={t('common.save')}>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ role: 'rep', team_id: me.role === 'admin' ? undefined : me.team_id ?? undefined }}
          onFinish={async (v) => {
            setBusy(true);
            try {
              const body: Record<string, unknown> = { username: v.username.trim(), display_name: (v.display_name ?? '').trim(), password: v.password, role: v.role };
              if (v.team_id) body.team_id = v.team_id;
              if (v.hire_date) body.hire_date = v.hire_date.format('YYYY-MM-DD');
              if (v.selling_style) body.selling_style = v.selling_style;
              await api('POST', '/users', body);
              message.success(t('common.saved'));
              setOpen(false);
              reload();
            } catch (e) {
              message.error(errText(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="username" label={t('login.username')} rules={[{ required: true, pattern: /^\S+$/, message: t('users.usernameRule') }]}>
                <Input maxLength={64} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="display_name" label={t('users.name')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, min: 8, message: t('users.passwordRule') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="role" label={t('users.role')}>
                <Select options={roles.map((r) => ({ value: r, label: t(`role.${r}` as Key) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="team_id" label={t('users.team')} rules={me.role === 'admin' ? [] : [{ required: true, message: t('common.required') }]}>
                <Select allowClear options={teams.map((x) => ({ value: x.id, label: x.name }))} />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="hire_date" label={t('users.hired')}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="selling_style" label={t('users.style')}>
                <Select allowClear options={STYLES.map((s) => ({ value: s, label: t(`style.${s}` as Key) }))} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </Card>
  );
}

function Teams() {
  const me = useMe();
  const { t } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const { teams, reload } = useTeams();
  const { users, byId } = useUsers();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const canEdit = me.role === 'admin' || me.role === 'director';
  const managers = users.filter((u) => u.role !== 'rep' && u.active);

  const setManager = async (tm: Team, manager_id: number | null) => {
    try {
      await api('PATCH', `/teams/${tm.id}`, { manager_id, version: tm.version });
      invalidateOrgCache();
      reload();
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errText(e));
    }
  };

  return (
    <Card
      size="small"
      title={t('settings.teams')}
      extra={canEdit ? <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('teams.add')}</Button> : null}
      styles={{ body: { padding: 0 } }}
    >
      <Table<Team>
          scroll={{ x: 'max-content' }}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={teams}
        columns={[
          { title: t('teams.name'), dataIndex: 'name', render: (v) => <b className="tj-break">{v}</b> },
          { title: t('teams.parent'), dataIndex: 'parent_id', render: (id) => teams.find((x) => x.id === id)?.name ?? '—' },
          {
            title: t('teams.manager'),
            dataIndex: 'manager_id',
            render: (id: number | null, tm) =>
              canEdit ? (
                <Select
                  size="small"
                  allowClear
                  style={{ minWidth: 140 }}
                  value={id ?? undefined}
                  onChange={(v) => setManager(tm, v ?? null)}
                  options={managers.map((u) => ({ value: u.id, label: u.display_name }))}
                />
              ) : (
                (id && byId.get(id)?.display_name) || '—'
              ),
          },
          { title: t('teams.members'), key: 'n', align: 'right', render: (_, tm) => users.filter((u) => u.team_id === tm.id && u.active).length },
        ]}
      />
      <Modal open={open} title={t('teams.add')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnClose okText={t('common.save')}>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            try {
              const body: Record<string, unknown> = { name: v.name.trim() };
              if (v.parent_id) body.parent_id = v.parent_id;
              if (v.manager_id) body.manager_id = v.manager_id;
              await api('POST', '/teams', body);
              invalidateOrgCache();
              reload();
              setOpen(false);
              message.success(t('common.saved'));
            } catch (e) {
              message.error(errText(e));
            }
          }}
        >
          <Form.Item name="name" label={t('teams.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="parent_id" label={t('teams.parent')} rules={me.role === 'director' ? [{ required: true, message: t('common.required') }] : []}>
            <Select allowClear options={teams.map((x) => ({ value: x.id, label: x.name }))} />
          </Form.Item>
          <Form.Item name="manager_id" label={t('teams.manager')}>
            <Select allowClear options={managers.map((u) => ({ value: u.id, label: u.display_name }))} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function Targets() {
  const { t, fmt } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const list = useAsync(() => get<ListOf<Target>>('/targets'), []);
  const { users, byId } = useUsers();
  const { teams } = useTeams();
  const [form] = Form.useForm();
  const scope = Form.useWatch('scope', form) ?? 'team';
  const metric = Form.useWatch('metric', form) ?? 'effective_new';
  const [busy, setBusy] = useState(false);
  const scopeName = (x: Target) => (x.scope === 'team' ? teams.find((tm) => tm.id === x.scope_id)?.name : byId.get(x.scope_id)?.display_name) ?? `#${x.scope_id}`;
  const showVal = (x: Target) => (x.metric === 'signed_amount' ? fmt.money(x.value) : x.value);

  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={9}>
        <Card size="small" title={t('targets.set')}>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>{t('targets.hint')}</Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ scope: 'team', metric: 'effective_new', period: 'day' }}
            onFinish={async (v) => {
              setBusy(true);
              try {
                await api('PUT', '/targets', {
                  scope: v.scope,
                  scope_id: v.scope_id,
                  metric: v.metric,
                  period: v.period,
                  value: v.metric === 'signed_amount' ? Math.round(v.value * 100) : v.value,
                  reason: (v.reason ?? '').trim(),
                });
                message.success(t('common.saved'));
                list.reload();
              } catch (e) {
                message.error(errText(e));
              } finally {
                setBusy(false);
              }
            }}
          >
            <Form.Item name="scope" label={t('targets.scope')}>
              <Select options={[{ value: 'team', label: t('targets.team') }, { value: 'rep', label: t('targets.rep') }]} onChange={() => form.setFieldValue('scope_id', undefined)} />
            </Form.Item>
            <Form.Item name="scope_id" label={scope === 'team' ? t('targets.team') : t('targets.rep')} rules={[{ required: true, message: t('common.required') }]}>
              <Select
                showSearch
                optionFilterProp="label"
                options={scope === 'team' ? teams.map((x) => ({ value: x.id, label: x.name })) : users.filter((u) => u.role === 'rep').map((u) => ({ value: u.id, label: u.display_name }))}
              />
            </Form.Item>
            <Row gutter={8}>
              <Col span={14}>
                <Form.Item name="metric" label={t('targets.metric')}>
                  <Select options={['effective_new', 'visits_new', 'signed_amount'].map((m) => ({ value: m, label: t(`metric.${m}` as Key) }))} />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item name="period" label={t('targets.period')}>
                  <Select options={['day', 'month'].map((p) => ({ value: p, label: t(`period.${p}` as Key) }))} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="value" label={metric === 'signed_amount' ? t('targets.valueYuan') : t('targets.value')} rules={[{ required: true, message: t('common.required') }]}>
              <InputNumber min={0} precision={metric === 'signed_amount' ? 2 : 0} style={{ width: '100%' }} prefix={metric === 'signed_amount' ? '¥' : undefined} />
            </Form.Item>
            <Form.Item name="reason" label={t('targets.reason')}>
              <Input maxLength={500} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('common.save')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        <Card size="small" title={t('settings.targets')} styles={{ body: { padding: 0 } }}>
          <ErrorBox error={list.error} />
          <div className="tj-scroll-x">
            <Table<Target>
          scroll={{ x: 'max-content' }}
              rowKey="id"
              size="small"
              loading={list.loading}
              pagination={false}
              dataSource={list.data?.items ?? []}
              columns={[
                { title: t('targets.scope'), key: 's', render: (_, x) => <span><Tag>{t(x.scope === 'team' ? 'targets.team' : 'targets.rep')}</Tag>{scopeName(x)}</span> },
                { title: t('targets.metric'), dataIndex: 'metric', render: (m) => t(`metric.${m}` as Key) },
                { title: t('targets.period'), dataIndex: 'period', render: (p) => t(`period.${p}` as Key) },
                { title: t('targets.value'), key: 'v', align: 'right', render: (_, x) => <b>{showVal(x)}</b> },
                { title: t('targets.reason'), dataIndex: 'reason', render: (r) => <span className="tj-break">{r || '—'}</span> },
              ]}
            />
          </div>
        </Card>
      </Col>
    </Row>
  );
}

function Method() {
  const me = useMe();
  const { t, fmt } = useI18n();
  const { message, modal } = App.useApp();
  const errText = useErrText();
  const s = useAsync(() => get<Settings>('/settings'), []);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const admin = me.role === 'admin';
  useEffect(() => {
    if (!s.data) return;
    form.setFieldsValue({
      ...s.data,
      min_order_yuan: s.data.min_order_value / 100,
      new_share_pct: Math.round(s.data.new_share_min * 100),
      working: s.data.working_days.split(''),
      holidays_text: s.data.holidays.join('\n'),
    });
  }, [s.data, form]);
  if (s.loading && !s.data) return <Skeleton active />;
  return (
    <Card size="small" title={t('settings.method')} extra={!admin ? <Tag>{t('settings.readOnly')}</Tag> : null}>
      <ErrorBox error={s.error} />
      <Form
        form={form}
        layout="vertical"
        disabled={!admin}
        onFinish={async (v) => {
          setBusy(true);
          try {
            const holidays = String(v.holidays_text ?? '')
              .split(/[\s,，]+/)
              .map((x: string) => x.trim())
              .filter(Boolean);
            const n = await api<Settings>('PATCH', '/settings', {
              version: s.data!.version,
              timezone: v.timezone,
              quota_visits_new: v.quota_visits_new,
              quota_effective_new: v.quota_effective_new,
              new_share_min: v.new_share_pct / 100,
              nurture_cap: v.nurture_cap,
              pool_release_days: v.pool_release_days,
              session_idle_minutes: v.session_idle_minutes,
              min_order_value: Math.round(v.min_order_yuan * 100),
              working_days: [...(v.working as string[])].sort().join(''),
              holidays,
            });
            s.setData(n);
            message.success(t('common.saved'));
          } catch (e) {
            if (e instanceof ApiError && e.code === 'stale_version') {
              modal.warning({ title: t('err.staleTitle'), content: t('err.stale_version') });
              s.reload();
            } else message.error(errText(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="quota_visits_new" label={t('settings.quotaVisits')}><InputNumber min={0} max={100} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="quota_effective_new" label={t('settings.quotaEffective')}><InputNumber min={0} max={100} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="new_share_pct" label={t('settings.newShare')}><InputNumber min={0} max={100} addonAfter="%" style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="nurture_cap" label={t('settings.nurtureCap')}><InputNumber min={0} max={1000} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="pool_release_days" label={t('settings.poolDays')}><InputNumber min={1} max={3650} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="min_order_yuan" label={t('settings.minOrder')} extra={s.data ? fmt.money(s.data.min_order_value) : undefined}><InputNumber min={0} precision={2} prefix="¥" style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="session_idle_minutes" label={t('settings.idle')}><InputNumber min={5} max={43200} style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="timezone" label={t('settings.timezone')}><Input maxLength={64} /></Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="working" label={t('settings.workingDays')}>
              <Checkbox.Group options={['1', '2', '3', '4', '5', '6', '7'].map((d) => ({ value: d, label: t(`wd.${d}` as Key) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="holidays_text" label={t('settings.holidays')} extra={t('settings.holidaysHint')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </Col>
        </Row>
        {admin && (
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>{t('common.save')}</Button>
            <Button onClick={() => s.reload()} disabled={false}>{t('common.reset')}</Button>
          </Space>
        )}
      </Form>
    </Card>
  );
}
