// The logged-in user. A reload keeps the session when the CSRF token is still
// in sessionStorage; without it the UI treats the user as logged out.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, csrf, get, setUnauthorizedHandler, type Me, type User } from './api';
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
      if (csrf.get()) {
        try {
          await loadMe();
        } catch (e) {
          // Started without a connection: the session may well be valid. Keep the token (the
          // visit queue sends with it) and try again when the connection returns.
          if (e instanceof ApiError && e.status === 0) {
            const retry = () => loadMe().catch(() => undefined);
            window.addEventListener('online', retry, { once: true });
          } else {
            csrf.clear();
          }
          setMe(null);
        }
      }
      setReady(true);
    })();
  }, [loadMe]);

  const value = useMemo<Auth>(
    () => ({
      me,
      ready,
      login: async (username, password) => {
        const r = await api<{ user: User; csrf_token: string }>('POST', '/session', { username, password });
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
