import { lazy, Suspense, useEffect } from 'react';
import { App as AntApp, ConfigProvider, theme as antTheme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import { useI18n } from './i18n';
import { AuthProvider, useAuth } from './auth';
import { RouterProvider } from './router';
import Login from './pages/Login';

const Shell = lazy(() => import('./Shell'));
// The account page (its token table pulls antd's Table, Tree, Dropdown …) loads only when needed.
const ForcedPasswordChange = lazy(() => import('./pages/Account').then((m) => ({ default: m.ForcedPasswordChange })));

export const theme = {
  algorithm: antTheme.defaultAlgorithm,
  token: {
    colorPrimary: '#c8281e',
    colorLink: '#c8281e',
    colorInfo: '#d4380d',
    // Text colours at WCAG AA contrast (4.5:1) on white and on the layout grey: antd's
    // defaults for secondary text (45% black), errors and success draw at about 3:1.
    colorSuccess: '#237804',
    colorError: '#cf1322',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 10,
    fontSize: 14,
    colorBgLayout: '#f5f6f8',
  },
  components: {
    Layout: { siderBg: '#1d0a0a', headerBg: '#ffffff', bodyBg: '#f5f6f8' },
    Menu: {
      darkItemBg: '#1d0a0a',
      darkSubMenuItemBg: '#1d0a0a',
      darkItemSelectedBg: '#c8281e',
      darkItemColor: 'rgba(255,255,255,0.72)',
      itemBorderRadius: 8,
    },
    Card: { borderRadiusLG: 14 },
    Button: { primaryShadow: '0 2px 8px rgba(200, 40, 30, 0.25)' },
  },
};

/** The app's first screen while it starts (index.html shows the same markup before any script runs). */
function Splash() {
  const { t } = useI18n();
  return (
    <div className="tj-splash" role="status" aria-label={t('app.title')}>
      <span className="tj-brand-mark">铁</span>
      <span className="tj-splash-spin" />
    </div>
  );
}

function Gate() {
  const { me, ready } = useAuth();
  if (!ready) return <Splash />;
  if (!me) return <Login />;
  return <Suspense fallback={<Splash />}>{me.must_change_password ? <ForcedPasswordChange /> : <Shell />}</Suspense>;
}

export default function App() {
  const { lang, t } = useI18n();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
  }, [lang, t]);
  return (
    <ConfigProvider theme={theme} locale={lang === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }}>
      <AntApp>
        <RouterProvider>
          <AuthProvider>
            <Gate />
          </AuthProvider>
        </RouterProvider>
      </AntApp>
    </ConfigProvider>
  );
}
