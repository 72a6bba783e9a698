// The logged-in user. The session lives in the HttpOnly cookie; at start (a new tab, a
// reload, a reopened app) the UI asks GET /api/v1/session for the session's CSRF token
// and the user in one call, so it stays logged in as long as the cookie is valid.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, csrf, get, setUnauthorizedHandler, type LoginResponse, type Me, type SessionInfo } from './api';
import { useI18n } from './i18n';

interface Auth {
  me: Me | null;
  ready: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  reload: () => Promise<void>;
}

const Ctx = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const { setTz } = useI18n();

  const loadMe = useCallback(async () => {
    const m = await get<Me>('/me');
    setMe(m);
    if (m.timezone) setTz(m.timezone);
  }, [setTz]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      csrf.clear();
      setMe(null);
    });
    (async () => {
      try {
        const s = await get<SessionInfo>('/session');
        csrf.set(s.csrf_token);
        setMe(s.me);
        if (s.me.timezone) setTz(s.me.timezone);
      } catch {
        csrf.clear();
        setMe(null);
      }
      setReady(true);
    })();
  }, [setTz]);

  const value = useMemo<Auth>(
    () => ({
      me,
      ready,
      login: async (username, password) => {
        const r = await api<LoginResponse>('POST', '/session', { username, password });
        csrf.set(r.csrf_token);
        await loadMe();
      },
      logout: async () => {
        try {
          await api('DELETE', '/session');
        } catch {
          /* already gone */
        }
        csrf.clear();
        setMe(null);
      },
      reload: loadMe,
    }),
    [me, ready, loadMe],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The logged-in user, for pages that render only when someone is logged in. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('not logged in');
  return me;
}

export const isManager = (m: { role: string }) => m.role !== 'rep';
