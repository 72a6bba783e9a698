// Everything a logged-in user's screens need and the login form does not: antd's theme and
// locale (ConfigProvider, App), dayjs's locale, the shell. Loaded lazily by App.tsx, so the
// first download of every visit (the entry: React, the router, the strings, the login form)
// carries no antd (issue 15); main.tsx fetches this chunk beside GET /api/v1/session.
import { lazy, Suspense, useEffect } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { useI18n } from './i18n';
import Shell from './Shell';
import { Splash } from './Splash';
import { theme } from './theme';

// The account page (its token table pulls antd's Table, Tree, Dropdown …) loads only when needed.
const ForcedPasswordChange = lazy(() => import('./pages/Account').then((m) => ({ default: m.ForcedPasswordChange })));

export default function Authed({ mustChangePassword }: { mustChangePassword: boolean }) {
  const { lang } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  return (
    <ConfigProvider theme={theme} locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }}>
      <AntApp>
        {mustChangePassword ? (
          <Suspense fallback={<Splash />}>
            <ForcedPasswordChange />
          </Suspense>
        ) : (
          <Shell />
        )}
      </AntApp>
    </ConfigProvider>
  );
}
