import { useState } from 'react';
import { Button, Card, Form, Input, Typography, Alert } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { ApiError } from '../api';
import LangSwitch from '../components/LangSwitch';

export default function Login() {
  const { t } = useI18n();
  const { login } = useAuth();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setErr(null);
    try {
      await login(v.username.trim(), v.password);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setErr(t('login.bad'));
      else if (e instanceof ApiError && e.status === 429) setErr(t('login.throttled'));
      else if (e instanceof ApiError && e.status === 0) setErr(t('err.network'));
      else setErr(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tj-login">
      <div style={{ width: '100%', maxWidth: 400 }}>
        <Card className="tj-login-card" styles={{ body: { padding: '28px 28px 20px' } }}>
          <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: -8, marginBottom: 4 }}>
            <LangSwitch />
          </div>
          <div className="tj-login-title">
            <div className="tj-brand-mark" style={{ display: 'inline-flex' }}>铁</div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
          {err && <Alert type="error" showIcon message={err} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form layout="vertical" onFinish={submit} requiredMark={false} size="large">
            <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoCapitalize="none" data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
        </Card>
        <div className="tj-login-motto">{t('login.motto')}</div>
      </div>
    </div>
  );
}
