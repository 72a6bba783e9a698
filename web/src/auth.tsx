// The logged-in user. The session lives in the HttpOnly cookie; at start (a new tab, a
// reload, a reopened app) the UI asks GET /api/v1/session for the session's CSRF token
// and the user in one call, so it stays logged in as long as the cookie is valid.
import { createContext, startTransition, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, csrf, get, setUnauthorizedHandler, type LoginResponse, type Me, type SessionInfo } from './api';
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

  // The user, kept for an offline start.
  const remember = useCallback(
    (m: Me) => {
      setMe(m);
      try {
        localStorage.setItem(ME_KEY, JSON.stringify(m));
      } catch {
        /* storage refused: only the offline start is lost */
      }
      if (m.timezone) setTz(m.timezone);
    },
    [setTz],
  );
  const loadMe = useCallback(async () => remember(await get<Me>('/me')), [remember]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      csrf.clear();
      localStorage.removeItem(ME_KEY);
      setMe(null);
    });
    (async () => {
      // One call: the session's CSRF token and the user (GET /api/v1/session).
      const start = async () => {
        const s = await get<SessionInfo | undefined>('/session');
        if (!s) {
          // 204: this browser sent no session cookie, nobody is logged in here: the login form.
          csrf.clear();
          localStorage.removeItem(ME_KEY);
          startTransition(() => {
            setMe(null);
            setReady(true);
          });
          return;
        }
        csrf.set(s.csrf_token);
        // The shell and the first page render as a transition (in slices, not one long task).
        startTransition(() => {
          remember(s.me);
          setReady(true);
        });
      };
      try {
        await start();
        return;
      } catch (e) {
        // Started without a connection: the session may well be valid. Start as the last user
        // of this browser (the visit queue keeps their visits) and ask again when the
        // connection returns.
        const offline = e instanceof ApiError && e.status === 0;
        const cached = offline ? cachedMe() : null;
        if (offline) window.addEventListener('online', () => void start().catch(() => undefined), { once: true });
        else {
          csrf.clear();
          localStorage.removeItem(ME_KEY);
        }
        startTransition(() => {
          setMe(cached);
          if (cached?.timezone) setTz(cached.timezone);
          setReady(true);
        });
      }
    })();
  }, [remember, setTz]);

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
