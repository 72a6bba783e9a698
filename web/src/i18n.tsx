// Every string of the UI in zh-CN and English, and locale-aware formatting of
// dates, numbers and money. Money arrives as integer fen and is shown in yuan.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { D, type Key } from './strings';
import { setApiLanguage } from './api';

export type Lang = 'zh' | 'en';
const LANG_KEY = 'tj_lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'zh' || saved === 'en') return saved;
  return 'zh';
}

export type Vars = Record<string, string | number>;

export function translate(lang: Lang, key: Key, vars?: Vars): string {
  const pair = D[key];
  let s: string = pair ? pair[lang === 'zh' ? 0 : 1] : key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export interface Fmt {
  locale: string;
  money: (fen: number | null | undefined) => string;
  moneyShort: (fen: number | null | undefined) => string;
  num: (n: number | null | undefined, digits?: number) => string;
  pct: (x: number | null | undefined, digits?: number) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  time: (iso: string | null | undefined) => string;
  weekday: (day: string) => string;
  longDate: (day: string) => string;
}

/** A value made on first use: building Intl formatters costs milliseconds each on a phone. */
function once<T>(make: () => T): () => T {
  let v: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      v = make();
      made = true;
    }
    return v as T;
  };
}

export function makeFmt(lang: Lang, tz: string): Fmt {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-US';
  // Each formatter is built when first used, not when the language or zone is set (the first
  // screen pays only for the formats it shows; issue 15).
  const moneyF = once(
    () =>
      new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: 'CNY',
        currencyDisplay: 'narrowSymbol',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }),
  );
  const compactF = once(() => new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }));
  const safeTz = once(() => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz;
    } catch {
      return 'Asia/Shanghai';
    }
  });
  const dF = once(() => new Intl.DateTimeFormat(locale, { timeZone: safeTz(), year: 'numeric', month: '2-digit', day: '2-digit' }));
  const dtF = once(
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone: safeTz(),
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hour12: false,
      }),
  );
  const tF = once(() => new Intl.DateTimeFormat(locale, { timeZone: safeTz(), hour: '2-digit', minute: '2-digit', hour12: false }));
  // Calendar days (YYYY-MM-DD) are zone-less: format them at UTC noon.
  const dayF = once(() => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }));
  const longF = once(() => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', day: 'numeric', weekday: 'long' }));
  const utcDayF = once(() => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }));
  const numF = new Map<number, Intl.NumberFormat>();
  const pctF = new Map<number, Intl.NumberFormat>();
  const parseDay = (d: string) => new Date(`${d}T12:00:00Z`);
  const parse = (iso: string) => {
    const t = new Date(iso);
    return isNaN(t.getTime()) ? null : t;
  };
  return {
    locale,
    money: (fen) => (fen === null || fen === undefined ? '—' : moneyF().format(fen / 100)),
    moneyShort: (fen) => (fen === null || fen === undefined ? '—' : '¥' + compactF().format(fen / 100)),
    num: (n, digits = 0) =>
      n === null || n === undefined
        ? '—'
        : (numF.get(digits) ?? numF.set(digits, new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })).get(digits)!).format(n),
    pct: (x, digits = 0) =>
      x === null || x === undefined
        ? '—'
        : (pctF.get(digits) ?? pctF.set(digits, new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits })).get(digits)!).format(x),
    date: (iso) => {
      if (!iso) return '—';
      if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return utcDayF().format(parseDay(iso));
      const t = parse(iso);
      return t ? dF().format(t) : iso;
    },
    dateTime: (iso) => {
      if (!iso) return '—';
      const t = parse(iso);
      return t ? dtF().format(t) : iso;
    },
    time: (iso) => {
      if (!iso) return '—';
      const t = parse(iso);
      return t ? tF().format(t) : iso;
    },
    weekday: (day) => dayF().format(parseDay(day)),
    longDate: (day) => longF().format(parseDay(day)),
  };
}

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: Key, vars?: Vars) => string;
  fmt: Fmt;
  tz: string;
  setTz: (tz: string) => void;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  setApiLanguage(lang === 'zh' ? 'zh-CN' : 'en');
  const [tz, setTz] = useState('Asia/Shanghai');
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang: (l: Lang) => {
        localStorage.setItem(LANG_KEY, l);
        document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
        setLangState(l);
      },
      t: (key, vars) => translate(lang, key, vars),
      fmt: makeFmt(lang, tz),
      tz,
      setTz,
    }),
    [lang, tz],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

export type { Key };
