// The booking form (book a 陪访 or reschedule one). Its own chunk: DatePicker, TimePicker and
// Form are fetched the first time a form opens, not with the pages that list bookings (issue 15).
import { useEffect, useMemo, useState } from 'react';
import { App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Tag, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, get, type Booking, type Company, type List } from '../api';
import { useMe } from '../auth';
import { useI18n } from '../i18n';
import { useDebounced, useIsMobile, useTeams, useUsers } from '../hooks';
import { todayIn } from '../dates';
import { ErrorBox } from './common';
import { STAGE_KEYS, localParts, myTeamIds } from './Bookings';

/** The companies a rep may be accompanied to: their own and the public pool. */
function RepCompanyPicker({ repId, value, onChange, initial }: { repId?: number; value?: number; onChange?: (v?: number) => void; initial?: { id: number; name: string } }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const [opts, setOpts] = useState<{ id: number; name: string; pool: boolean }[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!repId) {
      setOpts([]);
      return;
    }
    let stale = false;
    setLoading(true);
    Promise.all([
      get<List<Company>>('/companies', { owner_id: repId, q: dq, limit: 30, sort: '-updated_at' }),
      get<List<Company>>('/companies', { owner_id: 'pool', q: dq, limit: 10 }),
    ])
      .then(([own, pool]) => {
        if (stale) return;
        setOpts([...own.items.map((c) => ({ id: c.id, name: c.name, pool: false })), ...pool.items.map((c) => ({ id: c.id, name: c.name, pool: true }))]);
      })
      .catch(() => !stale && setOpts([]))
      .finally(() => !stale && setLoading(false));
    return () => {
      stale = true;
    };
  }, [repId, dq]);
  const all = initial && !opts.some((o) => o.id === initial.id) ? [{ ...initial, pool: false }, ...opts] : opts;
  return (
    <Select
      data-testid="booking-company"
      showSearch
      allowClear
      size="large"
      disabled={!repId}
      value={value}
      onChange={(v) => onChange?.(v)}
      onSearch={setQ}
      filterOption={false}
      loading={loading}
      placeholder={repId ? t('booking.companyPh') : t('booking.pickRepFirst')}
      notFoundContent={loading ? t('common.loading') : t('picker.none')}
      options={all.map((o) => ({
        value: o.id,
        label: (
          <span style={{ display: 'flex', gap: 6, alignItems: 'center', minWidth: 0 }}>
            <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>{o.name}</span>
            {o.pool && <Tag color="purple" style={{ marginInlineEnd: 0 }}>{t('pool.tag')}</Tag>}
          </span>
        ),
      }))}
    />
  );
}

interface FormValues {
  rep_id?: number;
  company_id?: number;
  date?: Dayjs;
  time?: Dayjs;
  stage: number;
  note?: string;
}

/** Book a 陪访 (or reschedule one: `editing`). `preset*` prefill a new booking: from a share's
 *  "help wanted" (issue 14.4) they are the rep, the company the text names, a slot and a note. */
export default function BookingModal({ open, editing, presetRep, presetStage, presetCompany, presetCompanyName, presetAt, presetNote, onClose, onSaved }: { open: boolean; editing?: Booking | null; presetRep?: number; presetStage?: number; presetCompany?: number; presetCompanyName?: string | null; presetAt?: string; presetNote?: string; onClose: () => void; onSaved: (b: Booking) => void }) {
  const me = useMe();
  const { t, tz } = useI18n();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const { users } = useUsers();
  const { teams } = useTeams();
  const repId = Form.useWatch('rep_id', form);
  const today = todayIn(tz);

  const reps = useMemo(() => {
    const mine = new Set(myTeamIds(teams, me.id, me.role));
    return users.filter((u) => u.role === 'rep' && u.active && (me.role === 'admin' || (u.team_id !== null && mine.has(u.team_id))));
  }, [users, teams, me]);

  useEffect(() => {
    if (!open) return;
    setErr(null);
    if (editing) {
      const p = localParts(editing.at, tz);
      form.setFieldsValue({
        rep_id: editing.rep_id,
        company_id: editing.company_id,
        date: dayjs(p.day),
        time: dayjs(`2000-01-01T${p.time}`),
        stage: editing.stage,
        note: editing.note,
      });
    } else {
      form.resetFields();
      const at = presetAt && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(presetAt) ? presetAt : null;
      form.setFieldsValue({
        rep_id: presetRep,
        company_id: presetCompany,
        stage: presetStage ?? 1,
        date: at ? dayjs(at.slice(0, 10)) : dayjs(today).add(1, 'day'),
        time: dayjs(`2000-01-01T${at ? at.slice(11) : '10:00'}`),
        note: presetNote,
      });
    }
  }, [open, editing, presetRep, presetStage, presetCompany, presetAt, presetNote, form, tz, today]);

  const submit = async (v: FormValues) => {
    setBusy(true);
    setErr(null);
    const at = `${v.date!.format('YYYY-MM-DD')}T${v.time!.format('HH:mm')}`;
    try {
      const b = editing
        ? await api<Booking>('PATCH', `/bookings/${editing.id}`, { at, stage: v.stage, note: (v.note ?? '').trim(), version: editing.version })
        : await api<Booking>('POST', '/bookings', { rep_id: v.rep_id, company_id: v.company_id, at, stage: v.stage, note: (v.note ?? '').trim() });
      message.success(editing ? t('booking.rescheduled') : t('booking.booked'));
      onSaved(b);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('booking.reschedule') : t('booking.new')}
      onCancel={onClose}
      footer={null}
      destroyOnClose
      width={mobile ? '100%' : 560}
      style={mobile ? { top: 12, maxWidth: 'calc(100vw - 16px)' } : undefined}
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} initialValues={{ stage: 1 }} data-testid="booking-form">
        <Form.Item name="rep_id" label={t('booking.rep')} rules={[{ required: true, message: t('booking.repRequired') }]}>
          <Select
            data-testid="booking-rep"
            size="large"
            showSearch
            optionFilterProp="label"
            disabled={!!editing}
            placeholder={t('booking.repPh')}
            options={reps.map((u) => ({ value: u.id, label: u.display_name }))}
            onChange={() => form.setFieldValue('company_id', undefined)}
          />
        </Form.Item>
        <Form.Item name="company_id" label={t('booking.company')} rules={[{ required: true, message: t('booking.companyRequired') }]}>
          {editing ? (
            <Select size="large" disabled options={[{ value: editing.company_id, label: editing.company_name ?? '—' }]} />
          ) : (
            <RepCompanyPicker repId={repId} initial={presetCompany && presetCompanyName ? { id: presetCompany, name: presetCompanyName } : undefined} />
          )}
        </Form.Item>
        <Space.Compact block style={{ gap: 8 }}>
          <Form.Item name="date" label={t('booking.date')} style={{ flex: 3 }} rules={[{ required: true, message: t('common.required') }]}>
            <DatePicker
              size="large"
              style={{ width: '100%' }}
              allowClear={false}
              inputReadOnly
              disabledDate={(d) => d.format('YYYY-MM-DD') < today}
              data-testid="booking-date"
            />
          </Form.Item>
          <Form.Item name="time" label={t('booking.time')} style={{ flex: 2 }} rules={[{ required: true, message: t('common.required') }]}>
            <TimePicker size="large" format="HH:mm" minuteStep={15} style={{ width: '100%' }} allowClear={false} inputReadOnly needConfirm={false} data-testid="booking-time" />
          </Form.Item>
        </Space.Compact>
        <div className="tj-muted" style={{ fontSize: 12, marginTop: -16, marginBottom: 12 }}>{t('booking.tzHint', { tz })}</div>
        <Form.Item name="stage" label={t('booking.stage')}>
          <Radio.Group optionType="button" buttonStyle="solid" style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }} data-testid="booking-stage">
            {STAGE_KEYS.map((k, i) => (
              <Radio.Button key={k} value={i + 1} style={{ borderRadius: 8 }}>
                {i + 1}. {t(k)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label={t('booking.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} placeholder={t('booking.notePh')} data-testid="booking-note" />
        </Form.Item>
        <ErrorBox error={err} />
        <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="booking-submit">
          {editing ? t('booking.saveReschedule') : t('booking.submit')}
        </Button>
      </Form>
    </Modal>
  );
}
