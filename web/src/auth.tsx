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

// The last /me of this browser, so the app also starts without a connection (a rep in a lift
// logs a visit: web/src/offline/). Refreshed at every start online; removed at logout and 401.
const ME_KEY = 'tj_me';
const cachedMe = (): Me | null => {
  try {
    return JSON.parse(localStorage.getItem(ME_KEY) ?? 'null') as Me | null;
  } catch {
    return null;
  }
};

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const { setTz } = useI18n();

  const loadMe = useCallback(async () => {
    const m = await get<Me>('/me');
    setMe(m);
    try {
      localStorage.setItem(ME_KEY, JSON.stringify(m));
    } catch {
      /* storage refused: only the offline start is lost */
    }
    if (m.timezone) setTz(m.timezone);
  }, [setTz]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      csrf.clear();
      localStorage.removeItem(ME_KEY);
      setMe(null);
    });
    (async () => {
      if (csrf.get()) {
        try {
          await loadMe();
        } catch (e) {
          // Started without a connection: the session may well be valid. Keep the token (the
          // visit queue sends with it) and try again when the connection returns.
          const offline = e instanceof ApiError && e.status === 0;
          const cached = offline ? cachedMe() : null;
          if (offline) window.addEventListener('online', () => void loadMe().catch(() => undefined), { once: true });
          else {
            csrf.clear();
            localStorage.removeItem(ME_KEY);
          }
          setMe(cached);
          if (cached?.timezone) setTz(cached.timezone);
        }
      }
      setReady(true);
    })();
  }, [loadMe, setTz]);

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
        localStorage.removeItem(ME_KEY);
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
