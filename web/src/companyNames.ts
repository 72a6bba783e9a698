import { useEffect, useState } from 'react';
import { get, type Company } from './api';

// Names of companies referred to by id (alerts, prospects, plans), fetched once each.
const cache = new Map<number, Promise<Company | null>>();

export function loadCompany(id: number): Promise<Company | null> {
  let p = cache.get(id);
  if (!p) {
    p = get<Company>(`/companies/${id}`).catch(() => null);
    cache.set(id, p);
  }
  return p;
}

export function forgetCompany(id: number) {
  cache.delete(id);
}

export function useCompanies(ids: (number | null | undefined)[]): Map<number, Company> {
  const [map, setMap] = useState<Map<number, Company>>(new Map());
  const key = [...new Set(ids.filter((x): x is number => typeof x === 'number'))].sort((a, b) => a - b).join(',');
  useEffect(() => {
    let stale = false;
    const list = key ? key.split(',').map(Number) : [];
    Promise.all(list.map((id) => loadCompany(id))).then((cs) => {
      if (stale) return;
      const m = new Map<number, Company>();
      cs.forEach((c) => c && m.set(c.id, c));
      setMap(m);
    });
    return () => {
      stale = true;
    };
  }, [key]);
  return map;
}
