// Accompanied-visit bookings 陪访预约 (the coaching loop, 16字法则): the manager books
// a visit with a rep ahead of time (Team page), the rep sees what is coming (Today)
// and logs it with the visit form prefilled; logging it marks the booking done.
import { Suspense, useEffect, useMemo, useState, type ComponentProps, type ReactNode } from 'react';
import { Button, Empty, Popconfirm, Segmented, Skeleton, Space, Tag, toast } from '../ui';
import { lazyAntd } from '../antd';
import { CalendarOutlined, CheckCircleFilled, CheckOutlined, ClockCircleOutlined, CloseOutlined, EditOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { api, get, type Booking, type List, type Schema } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useTeams, useUsers } from '../hooks';
import { useRouter } from '../router';
import { todayIn } from '../dates';
import { ErrorBox, useErrText } from './common';

/** A share's "help wanted" as a proposed 陪访 (GET /views/team, GET /feed: `help_booking`). */
export type HelpBooking = Schema<'HelpBooking'>;

export type BookingStatus = Booking['status'];

export const STAGE_KEYS: Key[] = ['stage.1', 'stage.2', 'stage.3', 'stage.4'];
const STATUS_COLOR: Record<BookingStatus, string> = { scheduled: 'processing', done: 'success', cancelled: 'default' };

export function StageTag({ stage }: { stage: number }) {
  const { t } = useI18n();
  return (
    <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
      {stage}. {t(STAGE_KEYS[stage - 1] ?? 'stage.1')}
    </Tag>
  );
}

/** Local wall-clock time of an ISO instant in the organisation's zone: "HH:mm". */
export function localParts(iso: string, tz: string): { day: string; time: string } {
  const d = new Date(iso);
  const day = todayIn(tz, d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return { day, time };
}

/** The visit form, prefilled to log this booked 陪访. */
export function visitLinkFor(b: Booking): string {
  const q = new URLSearchParams({
    company: String(b.company_id),
    kind: 'accompanied',
    companion: String(b.manager_id),
    companion_name: b.manager_name,
    stage: String(b.stage),
  });
  return `/visit?${q.toString()}`;
}


const BookingModalImpl = lazyAntd(() => import('./BookingModal'));

/** Book a 陪访 (or reschedule one: `editing`); the form's code is fetched the first time it opens. */
export function BookingModal(p: ComponentProps<typeof BookingModalImpl>) {
  const [used, setUsed] = useState(p.open);
  useEffect(() => {
    if (p.open) setUsed(true);
  }, [p.open]);
  if (!used && !p.open) return null;
  return (
    <Suspense fallback={null}>
      <BookingModalImpl {...p} />
    </Suspense>
  );
}

/** Teams the user manages and their sub-teams (everything for an admin is handled by the caller). */
export function myTeamIds(teams: { id: number; parent_id: number | null; manager_id: number | null }[], meId: number, role: string): number[] {
  if (role === 'admin') return teams.map((t) => t.id);
  const out = new Set(teams.filter((t) => t.manager_id === meId).map((t) => t.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) if (t.parent_id && out.has(t.parent_id) && !out.has(t.id)) { out.add(t.id); grew = true; }
  }
  return [...out];
}

function BookingItem({ b, actions, who }: { b: Booking; actions?: ReactNode; who: 'rep' | 'manager' }) {
  const { t, fmt } = useI18n();
  return (
    <div className="tj-booking" data-testid="booking-item" data-status={b.status} data-booking-id={b.id}>
      <div className="tj-booking-when">
        <div className="tj-booking-time">{fmt.time(b.at)}</div>
        <div className="tj-muted" style={{ fontSize: 12 }}>{fmt.weekday(b.day)}</div>
      </div>
      <div style={{ flex: 1, minWidth: 0 }}>
        <div className="tj-break" style={{ fontWeight: 600 }}>
          {b.company_name ?? t('booking.companyHidden')}
        </div>
        <Space size={[6, 4]} wrap style={{ marginTop: 2 }}>
          <span className="tj-muted" style={{ fontSize: 13 }}>
            <TeamOutlined /> {who === 'rep' ? t('booking.with', { name: b.manager_name }) : b.rep_name}
          </span>
          <StageTag stage={b.stage} />
          {b.status !== 'scheduled' && <Tag color={STATUS_COLOR[b.status]} style={{ marginInlineEnd: 0 }}>{t(`booking.status.${b.status}` as Key)}</Tag>}
        </Space>
        {b.note && <div className="tj-pre tj-break" style={{ fontSize: 13, marginTop: 4, color: '#595959' }}>{b.note}</div>}
        {actions && <div style={{ marginTop: 8 }}>{actions}</div>}
      </div>
    </div>
  );
}

/** Bookings grouped by local day, soonest first. */
function ByDay({ items, render }: { items: Booking[]; render: (b: Booking) => ReactNode }) {
  const { fmt, tz, t } = useI18n();
  const today = todayIn(tz);
  const groups: { day: string; items: Booking[] }[] = [];
  for (const b of items) {
    const g = groups[groups.length - 1];
    if (g && g.day === b.day) g.items.push(b);
    else groups.push({ day: b.day, items: [b] });
  }
  return (
    <div>
      {groups.map((g) => (
        <div key={g.day} style={{ marginBottom: 8 }}>
          <div className="tj-booking-day">
            <CalendarOutlined /> {fmt.longDate(g.day)}
            {g.day === today && <Tag color="red" style={{ marginInlineStart: 8 }}>{t('booking.today')}</Tag>}
          </div>
          {g.items.map((b) => (
            <div key={b.id}>{render(b)}</div>
          ))}
        </div>
      ))}
    </div>
  );
}

type Filter = 'upcoming' | 'done' | 'cancelled';

/** The Team page's tab: the team's bookings; book, reschedule, mark done, cancel. */
export function TeamBookings({ teamId }: { teamId?: number }) {
  const { t, tz } = useI18n();
  const errText = useErrText();
  const { users } = useUsers();
  const { teams } = useTeams();
  const today = todayIn(tz);
  const [filter, setFilter] = useState<Filter>('upcoming');
  const [modal, setModal] = useState<{ open: boolean; editing?: Booking | null }>({ open: false });
  const data = useAsync(
    () =>
      get<List<Booking>>(
        '/bookings',
        filter === 'upcoming' ? { from: today, status: 'scheduled', limit: 200 } : { status: filter, limit: 200 },
      ),
    [filter, today],
  );
  // Narrowed to the picked team's subtree (the list itself is the caller's whole scope).
  const inTeam = useMemo(() => {
    if (!teamId) return null;
    const ids = new Set([teamId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const tm of teams) if (tm.parent_id && ids.has(tm.parent_id) && !ids.has(tm.id)) { ids.add(tm.id); grew = true; }
    }
    return new Set(users.filter((u) => u.team_id !== null && ids.has(u.team_id)).map((u) => u.id));
  }, [teamId, teams, users]);
  const items = (data.data?.items ?? []).filter((b) => !inTeam || inTeam.has(b.rep_id));
  const shown = filter === 'upcoming' ? items : [...items].reverse();

  const act = async (b: Booking, what: 'done' | 'cancel') => {
    try {
      if (what === 'done') await api<Booking>('PATCH', `/bookings/${b.id}`, { status: 'done', version: b.version });
      else await api('DELETE', `/bookings/${b.id}`);
      toast.success(what === 'done' ? t('booking.markedDone') : t('booking.cancelled'));
      data.reload();
    } catch (e) {
      toast.error(errText(e));
      data.reload();
    }
  };

  return (
    <div className="tj-card-gap" data-testid="team-bookings">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          options={[
            { value: 'upcoming', label: t('booking.upcoming') },
            { value: 'done', label: t('booking.status.done') },
            { value: 'cancelled', label: t('booking.status.cancelled') },
          ]}
        />
        <div style={{ flex: 1 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ open: true, editing: null })} data-testid="booking-new">
          {t('booking.new')}
        </Button>
      </div>
      <div className="tj-muted" style={{ fontSize: 13 }}>{t('booking.hint')}</div>
      <ErrorBox error={data.error} />
      <div className="tj-booking-list">
        {data.loading && !data.data ? (
          <Skeleton active />
        ) : !shown.length ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filter === 'upcoming' ? t('booking.noneUpcoming') : t('booking.none')} />
        ) : (
          <ByDay
            items={shown}
            render={(b) => (
              <BookingItem
                b={b}
                who="manager"
                actions={
                  b.status === 'scheduled' ? (
                    <Space size={6} wrap>
                      <Button size="small" icon={<EditOutlined />} onClick={() => setModal({ open: true, editing: b })} data-testid="booking-reschedule">
                        {t('booking.reschedule')}
                      </Button>
                      <Popconfirm title={t('booking.doneConfirm')} description={t('booking.doneHint')} onConfirm={() => act(b, 'done')} okText={t('common.yes')} cancelText={t('common.no')}>
                        <Button size="small" icon={<CheckOutlined />} data-testid="booking-done">{t('booking.markDone')}</Button>
                      </Popconfirm>
                      <Popconfirm title={t('booking.cancelConfirm')} onConfirm={() => act(b, 'cancel')} okText={t('common.yes')} cancelText={t('common.no')}>
                        <Button size="small" danger icon={<CloseOutlined />} data-testid="booking-cancel">{t('booking.cancel')}</Button>
                      </Popconfirm>
                    </Space>
                  ) : null
                }
              />
            )}
          />
        )}
      </div>
      <BookingModal
        open={modal.open}
        editing={modal.editing}
        onClose={() => setModal({ open: false })}
        onSaved={() => {
          setModal({ open: false });
          setFilter('upcoming');
          data.reload();
        }}
      />
    </div>
  );
}

/** Today page: the rep's upcoming booked 陪访 (nothing when there are none). */
export function UpcomingBookings() {
  const me = useMe();
  const { t, tz } = useI18n();
  const { navigate } = useRouter();
  const today = todayIn(tz);
  const data = useAsync(() => get<List<Booking>>('/bookings', { from: today, status: 'scheduled', rep_id: me.id, limit: 10 }), [today, me.id]);
  const items = data.data?.items ?? [];
  if (data.error) return <ErrorBox error={data.error} />;
  if (data.loading || !items.length) return null;
  return (
    <div className="tj-booking-card" data-testid="today-bookings">
      <div className="tj-booking-card-title">
        <ClockCircleOutlined /> {t('booking.yours', { n: items.length })}
      </div>
      <ByDay
        items={items}
        render={(b) => (
          <BookingItem
            b={b}
            who="rep"
            actions={
              <Button type="primary" size="small" icon={<EditOutlined />} onClick={() => navigate(visitLinkFor(b))} data-testid="booking-log">
                {t('booking.logIt')}
              </Button>
            }
          />
        )}
      />
    </div>
  );
}

/** The manager's one tap from a share's "help wanted" to a prefilled 陪访 booking (issue 14.4). */
export function HelpBookButton({ help, repName, helpText }: { help: HelpBooking; repName: string; helpText: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [booked, setBooked] = useState(false);
  return (
    <>
      {booked ? (
        <Tag color="success" icon={<CheckCircleFilled />} data-testid="help-booked" style={{ whiteSpace: 'normal' }}>{t('help.booked', { name: repName })}</Tag>
      ) : (
        <Button size="small" type="primary" ghost icon={<TeamOutlined />} onClick={() => setOpen(true)} aria-label={t('help.bookAria', { name: repName })} data-testid="help-book">
          {t('help.book')}
        </Button>
      )}
      {open && (
        <BookingModal
          open
          presetRep={help.rep_id}
          presetCompany={help.company_id ?? undefined}
          presetCompanyName={help.company_name}
          presetAt={help.at}
          presetStage={help.stage}
          presetNote={t('help.note', { text: helpText.slice(0, 900) })}
          onClose={() => setOpen(false)}
          onSaved={() => {
            // the modal says it is booked; the tag stays, saying who was told
            setOpen(false);
            setBooked(true);
          }}
        />
      )}
    </>
  );
}
