// The account's own security (issue 17, point 8): changing one's password (also the
// full-screen form a forced change shows after an admin's reset) and the bearer
// tokens — one's own, or for an admin every token of the organisation — with revoke.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Table, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { api, get, type List } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { useAsync, useUsers } from '../hooks';
import { ErrorBox, useErrText } from '../components/common';
import LangSwitch from '../components/LangSwitch';

export interface TokenInfo {
  id: number;
  user_id: number;
  name: string;
  created_at: string;
  last_used: string | null;
}

/** current + new + repeat; on success the caller's session goes on and `done` runs. */
export function PasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [form] = Form.useForm();
  const submit = async (v: { current: string; next: string }) => {
    setBusy(true);
    setErr(null);
    try {
      await api('POST', '/me/password', { current_password: v.current, new_password: v.next });
      form.resetFields();
      message.success(t('account.changed'));
      onDone?.();
    } catch (e) {
      setErr(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="password-form">
      {err && <Alert type="error" showIcon message={err} style={{ marginBottom: 12 }} data-testid="password-error" />}
      <Form.Item name="current" label={t('account.current')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item name="next" label={t('account.new')} rules={[{ required: true, min: 8, message: t('users.passwordRule') }]}>
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="repeat"
        label={t('account.repeat')}
        dependencies={['next']}
        rules={[
          { required: true, message: t('account.repeat') },
          ({ getFieldValue }) => ({
            validator: (_, v) => (v === getFieldValue('next') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch')))),
          }),
        ]}
      >
        <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-repeat" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} block data-testid="password-submit">
        {t('account.submit')}
      </Button>
    </Form>
  );
}

/** Shown instead of the app while a password change is due (after an admin's reset). */
export function ForcedPasswordChange() {
  const { t } = useI18n();
  const { reload, logout } = useAuth();
  return (
    <div className="tj-login">
      <div style={{ width: '100%', maxWidth: 400 }}>
        <Card className="tj-login-card" styles={{ body: { padding: '28px 28px 20px' } }} data-testid="forced-password-change">
          <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: -8, marginBottom: 4 }}>
            <LangSwitch />
          </div>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('account.forcedTitle')}
          </Typography.Title>
          <Alert type="warning" showIcon message={t('account.forcedHint')} style={{ marginBottom: 16 }} />
          <PasswordForm onDone={() => void reload()} />
          <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()} data-testid="forced-logout">
            {t('nav.logout')}
          </Button>
        </Card>
      </div>
    </div>
  );
}

/** The caller's tokens (an admin: every token of the organisation, with its owner), each revocable. */
export function Tokens({ all = false }: { all?: boolean }) {
  const { t, fmt } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const { byId } = useUsers();
  const [n, setN] = useState(0);
  const list = useAsync(() => get<List<TokenInfo>>('/tokens'), [n]);
  const revoke = async (id: number) => {
    try {
      await api('DELETE', `/tokens/${id}`);
      message.success(t('tokens.revoked'));
      setN((x) => x + 1);
    } catch (e) {
      message.error(errText(e));
    }
  };
  return (
    <div data-testid="tokens">
      <ErrorBox error={list.error} />
      <Typography.Paragraph type="secondary">{t('tokens.hint')}</Typography.Paragraph>
      <Table<TokenInfo>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t('tokens.none') }}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          ...(all ? [{ title: t('tokens.owner'), key: 'u', render: (_: unknown, x: TokenInfo) => byId.get(x.user_id)?.display_name ?? `#${x.user_id}` }] : []),
          { title: t('tokens.created'), key: 'c', render: (_: unknown, x: TokenInfo) => fmt.dateTime(x.created_at) },
          {
            title: '',
            key: 'x',
            align: 'right' as const,
            render: (_: unknown, x: TokenInfo) => (
              <Popconfirm title={t('tokens.confirm')} onConfirm={() => revoke(x.id)}>
                <Button danger size="small" data-testid={`token-revoke-${x.id}`}>
                  {t('tokens.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </div>
  );
}

/** The account dialog's body: the password form and one's tokens. */
export default function Account() {
  const { t } = useI18n();
  return (
    <div data-testid="account">
      <Typography.Title level={5}>{t('account.password')}</Typography.Title>
      <PasswordForm />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('tokens.title')}
      </Typography.Title>
      <Tokens />
    </div>
  );
}
