// The login form: plain HTML and the app's CSS, no antd, so that the first download of a visit is
// React, the router and the strings only (issue 15: Lighthouse on a phone).
import { useId, useState, type FormEvent } from 'react';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { ApiError } from '../api';
import LangSwitch from '../components/LangSwitch';

export default function Login() {
  const { t } = useI18n();
  const { login } = useAuth();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username: boolean; password: boolean }>({ username: false, password: false });
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = { username: !username.trim(), password: !password };
    setMissing(m);
    if (m.username || m.password) return;
    setBusy(true);
    setErr(null);
    try {
      await login(username.trim(), password);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setErr(t('login.bad'));
      else if (e instanceof ApiError && e.status === 429) setErr(t('login.throttled'));
      else if (e instanceof ApiError && e.status === 0) setErr(t('err.network'));
      else setErr(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };

  const field = (name: 'username' | 'password', label: string, required: string, input: JSX.Element) => (
    <div className={`tj-field ${missing[name] ? 'tj-field-bad' : ''}`}>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {input}
      {missing[name] && (
        <div className="tj-field-msg" id={`${id}-${name}-msg`} role="alert">
          {required}
        </div>
      )}
    </div>
  );

  return (
    <div className="tj-login">
      <div style={{ width: '100%', maxWidth: 400 }}>
        <main className="tj-login-card">
          <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: -8, marginBottom: 4 }}>
            <LangSwitch />
          </div>
          <div className="tj-login-title">
            <div className="tj-brand-mark" style={{ display: 'inline-flex' }}>铁</div>
            <h1>{t('app.name')}</h1>
            <div className="tj-login-sub">{t('login.subtitle')}</div>
          </div>
          {err && (
            <div className="tj-login-error" role="alert" data-testid="login-error">
              {err}
            </div>
          )}
          <form onSubmit={submit} noValidate>
            {field(
              'username',
              t('login.username'),
              t('login.usernameRequired'),
              <input
                id={`${id}-username`}
                name="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                autoComplete="username"
                autoCapitalize="none"
                aria-required="true"
                aria-invalid={missing.username || undefined}
                aria-describedby={missing.username ? `${id}-username-msg` : undefined}
                data-testid="login-username"
              />,
            )}
            {field(
              'password',
              t('login.password'),
              t('login.passwordRequired'),
              <input
                id={`${id}-password`}
                name="password"
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="current-password"
                aria-required="true"
                aria-invalid={missing.password || undefined}
                aria-describedby={missing.password ? `${id}-password-msg` : undefined}
                data-testid="login-password"
              />,
            )}
            <button type="submit" className="tj-login-submit" disabled={busy} aria-busy={busy} data-testid="login-submit">
              {busy && <span className="tj-splash-spin tj-btn-spin" aria-hidden="true" />}
              {t('login.submit')}
            </button>
          </form>
        </main>
        <div className="tj-login-motto">{t('login.motto')}</div>
      </div>
    </div>
  );
}
