import { startTransition, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get, type List, type Team, type User } from './api';

export interface Async<T> {
  data: T | undefined;
  loading: boolean;
  error: ApiError | Error | null;
  reload: () => void;
  setData: (d: T) => void;
}

/**
 * Runs an async loader on mount and whenever deps change; stale answers are dropped.
 * The answer is rendered as a transition: React renders the page in slices of a few
 * milliseconds and lets the browser paint and take input in between, instead of one long
 * task (issue 15: a phone's first screen, Lighthouse's total blocking time).
 */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    fn().then(
      (d) => {
        if (my !== seq.current) return;
        startTransition(() => {
          setData(d);
          setLoading(false);
        });
      },
      (e) => {
        if (my !== seq.current) return;
        startTransition(() => {
          setError(e);
          setLoading(false);
        });
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, loading, error, reload, setData };
}

// Users and teams change rarely: one shared cache per page load, refreshed on demand.
let usersCache: Promise<User[]> | null = null;
let teamsCache: Promise<Team[]> | null = null;

export function invalidateOrgCache() {
  usersCache = null;
  teamsCache = null;
}

export function loadUsers(): Promise<User[]> {
  if (!usersCache) usersCache = get<List<User>>('/users').then((l) => l.items).catch((e) => { usersCache = null; throw e; });
  return usersCache;
}

export function loadTeams(): Promise<Team[]> {
  if (!teamsCache) teamsCache = get<List<Team>>('/teams').then((l) => l.items).catch((e) => { teamsCache = null; throw e; });
  return teamsCache;
}

export function useUsers(): { users: User[]; byId: Map<number, User>; reload: () => void } {
  const a = useAsync(loadUsers, []);
  const users = a.data ?? [];
  return {
    users,
    byId: new Map(users.map((u) => [u.id, u])),
    reload: () => {
      invalidateOrgCache();
      a.reload();
    },
  };
}

export function useTeams(): { teams: Team[]; reload: () => void } {
  const a = useAsync(loadTeams, []);
  return {
    teams: a.data ?? [],
    reload: () => {
      invalidateOrgCache();
      a.reload();
    },
  };
}

export function useIsMobile(): boolean {
  const q = '(max-width: 767px)';
  const [m, setM] = useState(() => window.matchMedia(q).matches);
  useEffect(() => {
    const mq = window.matchMedia(q);
    const on = () => setM(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return m;
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}
