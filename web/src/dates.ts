// Calendar days (YYYY-MM-DD) in the organisation's time zone.

export function todayIn(tz: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

function toUtc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = toUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromUtc(d);
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = toUtc(day).getUTCDay();
  return w === 0 ? 7 : w;
}

export function weekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

export function monthStart(day: string): string {
  return day.slice(0, 8) + '01';
}

/** The last `n` days up to and including `day` whose ISO weekday is in `workingDays` ("12345"). */
export function lastWorkingDays(day: string, n: number, workingDays = '12345', holidays: string[] = []): string[] {
  const out: string[] = [];
  let d = day;
  for (let guard = 0; out.length < n && guard < 400; guard++) {
    if (workingDays.includes(String(isoWeekday(d))) && !holidays.includes(d)) out.unshift(d);
    d = addDays(d, -1);
  }
  return out;
}
