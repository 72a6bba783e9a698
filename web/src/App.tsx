import { lazy, Suspense, useEffect } from 'react';
import { useI18n } from './i18n';
import { AuthProvider, useAuth } from './auth';
import { RouterProvider } from './router';
import Login from './pages/Login';
import { Splash } from './Splash';

// The shell: only once someone is logged in (the login form is plain HTML).
const Authed = lazy(() => import('./Authed'));

function Gate() {
  const { me, ready } = useAuth();
  if (!ready) return <Splash />;
  if (!me) return <Login />;
  return (
    <Suspense fallback={<Splash />}>
      <Authed mustChangePassword={!!me.must_change_password} />
    </Suspense>
  );
}

export default function App() {
  const { lang, t } = useI18n();
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title');
  }, [lang, t]);
  return (
    <RouterProvider>
      <AuthProvider>
        <Gate />
      </AuthProvider>
    </RouterProvider>
  );
}
