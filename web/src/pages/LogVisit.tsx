import { useEffect, useMemo, useState } from 'react';
import { App, Alert, Button, Card, Col, Collapse, DatePicker, Form, Input, InputNumber, Radio, Row, Segmented, Select, Space, Switch, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  CheckCircleFilled,
  CloseCircleFilled,
  EnvironmentOutlined,
  PhoneOutlined,
  TeamOutlined,
  CarOutlined,
  CloudUploadOutlined,
  TrophyFilled,
} from '@ant-design/icons';
import { api, ApiError, get, type Company, type MetricsList, type VisitKind, type VisitResult } from '../api';
import { dismiss, logVisit, onSent } from '../offline/queue';
import { QueuedList, useQueued } from '../offline/QueueBadge';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useTeams, useUsers } from '../hooks';
import { useRouter } from '../router';
import { addDays, todayIn } from '../dates';
import { QuotaRing, StatusTag, useAction, useErrText } from '../components/common';
import { CompanyPicker } from '../components/CompanyPicker';
import { forgetCompany, loadCompany } from '../companyNames';
import { useClaimRefusal } from '../components/PoolErrors';

import { STAGES } from './labels';
export { STAGES };

const INTEREST_CHIPS: Key[] = ['interest.ad', 'interest.referral', 'interest.competitor', 'interest.exhibition', 'interest.cold'];

/** The instant (ISO, UTC) of a wall-clock time picked in the organisation's time zone `tz`. */
export function wallTimeIn(tz: string, y: number, mo: number, d: number, h: number, mi: number): string {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (ms: number) => {
    try {
      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
          .formatToParts(new Date(ms))
          .map((x) => [x.type, Number(x.value)]),
      ) as Record<string, number>;
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60000) * 60000;
    } catch {
      return -new Date(ms).getTimezoneOffset() * 60000;
    }
  };
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t); // a second pass across a DST change
  return new Date(t).toISOString();
}

type Geo = { state: 'off' } | { state: 'locating' } | { state: 'ok'; lat: number; lng: number; acc: number } | { state: 'error'; msg: string };

export default function LogVisit() {
  const me = useMe();
  const { t, tz } = useI18n();
  const { query, navigate } = useRouter();
  const { message } = App.useApp();
  const errText = useErrText();
  const [form] = Form.useForm();
  const preset = Number(query.get('company')) || undefined;
  // A booked 陪访 opens this form prefilled: ?kind=accompanied&companion=ID&companion_name=...&stage=N
  const presetAccompanied = query.get('kind') === 'accompanied';
  const presetCompanion = Number(query.get('companion')) || undefined;
  const presetStage = Math.min(4, Math.max(1, Number(query.get('stage')) || 1));
  const [company, setCompany] = useState<Company | undefined>();
  const [kind, setKind] = useState<VisitKind>(presetAccompanied ? 'accompanied' : 'visit');
  const [geo, setGeo] = useState<Geo>({ state: 'off' });
  const { busy, run } = useAction();
  const [result, setResult] = useState<VisitResult | null>(null);
  // A visit kept on the phone (no connection): its queue key, until the server has it.
  const [queued, setQueued] = useState<{ key: string; name: string } | null>(null);
  const [err, setErr] = useState<unknown>(null);
  const { users } = useUsers();
  const { teams } = useTeams();

  // Companions: managers, directors and admins the rep can see, plus the rep's team manager.
  const companions = useMemo(() => {
    const list = users.filter((u) => u.role !== 'rep' && u.id !== me.id && u.active);
    const myTeam = teams.find((tm) => tm.id === me.team_id);
    if (myTeam?.manager_id && myTeam.manager_id !== me.id && !list.some((u) => u.id === myTeam.manager_id))
      list.push({ id: myTeam.manager_id, display_name: t('visit.teamManager'), role: 'manager' } as never);
    if (presetCompanion && !list.some((u) => u.id === presetCompanion))
      list.push({ id: presetCompanion, display_name: query.get('companion_name') || t('visit.teamManager'), role: 'manager' } as never);
    return list;
  }, [users, teams, me, t, presetCompanion, query]);

  useEffect(() => {
    if (!preset) return;
    loadCompany(preset).then((c) => {
      if (c) pick(c);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);

  function pick(c: Company | undefined) {
    setCompany(c);
    form.setFieldsValue({
      company_id: c?.id,
      need: c?.need ?? false,
      budget: c?.budget ?? false,
      met_payer: false,
    });
  }

  const locate = (on: boolean) => {
    if (!on) return setGeo({ state: 'off' });
    if (!('geolocation' in navigator)) return setGeo({ state: 'error', msg: t('visit.geoUnsupported') });
    setGeo({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (p) => setGeo({ state: 'ok', lat: p.coords.latitude, lng: p.coords.longitude, acc: p.coords.accuracy }),
      (e) => setGeo({ state: 'error', msg: e.code === e.PERMISSION_DENIED ? t('visit.geoDenied') : t('visit.geoFailed') }),
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  };

  const claimRefusal = useClaimRefusal();
  const claiming = useAction();
  const claim = async () => {
    if (!company) return;
    await claiming.run(
      async () => {
        const c = await api<Company>('POST', `/companies/${company.id}/claim`);
        forgetCompany(c.id);
        pick(c);
        setErr(null);
        message.success(t('customer.claimed'));
      },
      (e) => claimRefusal(e),
    );
  };

  // The waiting visit reached the server while its card is shown: show the server's answer.
  useEffect(() => {
    if (!queued) return;
    return onSent((key, r) => {
      if (key !== queued.key) return;
      forgetCompany(r.company_id);
      setQueued(null);
      setResult(r);
      message.success(t('visit.sentLater'));
    });
  }, [queued, message, t]);

  const submit = async (v: Record<string, unknown>) => {
    setErr(null);
    // The visit time: the picked wall-clock time in the organisation's zone, else now (the
    // moment of submitting, also when the visit waits for a connection and is sent later).
    let at = new Date().toISOString();
    const picked = v.at as Dayjs | null | undefined;
    if (picked) {
      at = wallTimeIn(tz, picked.year(), picked.month() + 1, picked.date(), picked.hour(), picked.minute());
      if (Date.parse(at) > Date.now() + 60_000) return setErr(new Error(t('visit.atFuture')));
      if (Date.parse(at) < Date.now() - 365 * 86400_000) return setErr(new Error(t('visit.atOld')));
    }
    const body: Record<string, unknown> = {
      company_id: v.company_id,
      at,
      kind,
      need: !!v.need,
      budget: !!v.budget,
      met_payer: !!v.met_payer,
    };
    if (typeof v.duration_min === 'number' && v.duration_min > 0) body.duration_min = v.duration_min; // blank is never 0
    for (const k of ['interest_reason', 'attraction', 'concerns', 'notes'])
      if (typeof v[k] === 'string' && (v[k] as string).trim()) body[k] = (v[k] as string).trim();
    if (kind === 'accompanied') {
      body.companion_id = v.companion_id;
      body.coaching_stage = v.coaching_stage;
    }
    if (geo.state === 'ok') body.location = { lat: geo.lat, lng: geo.lng };
    await run(
      async () => {
        const { key, outcome } = await logVisit(me.id, body, company?.name ?? `#${v.company_id}`);
        if (outcome.kind === 'sent') {
          forgetCompany(outcome.result.company_id);
          setResult(outcome.result);
        } else if (outcome.kind === 'waiting') {
          setQueued({ key, name: company?.name ?? `#${v.company_id}` });
        } else {
          // Refused while the rep is still on the form: the reason here, the form kept to fix it.
          await dismiss(key);
          setErr(new ApiError(outcome.error.status, outcome.error.code, outcome.error.message));
          return;
        }
        window.scrollTo(0, 0);
      },
      (e) => {
        setErr(e);
        return true;
      },
    );
  };

  const again = () => {
    setResult(null);
    setQueued(null);
    setCompany(undefined);
    setGeo({ state: 'off' });
    setKind('visit');
    form.resetFields();
    navigate('/visit', { replace: true });
  };

  if (result) return <VisitDone result={result} onAgain={again} />;
  if (queued) return <VisitQueued name={queued.name} onAgain={again} />;

  const inPool = company && company.owner_id === null;
  const notMine = company && company.owner_id !== null && me.role === 'rep' && company.owner_id !== me.id;

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      requiredMark={false}
      initialValues={{ need: false, budget: false, met_payer: false, duration_min: 30, coaching_stage: presetAccompanied ? presetStage : 1, companion_id: presetAccompanied ? presetCompanion : undefined }}
      style={{ maxWidth: 720, margin: '0 auto' }}
    >
      <div className="tj-card-gap">
        <Card size="small" styles={{ body: { paddingBottom: 4 } }}>
          <Form.Item name="company_id" label={t('visit.company')} rules={[{ required: true, message: t('visit.companyRequired') }]}>
            <CompanyPicker initial={company ? [company] : []} onPicked={pick} testId="visit-company" ownerId={me.role === 'rep' ? me.id : undefined} />
          </Form.Item>
          {company && (
            <div style={{ marginTop: -8, marginBottom: 12 }}>
              <Space wrap size={6}>
                <StatusTag status={company.status} />
                {company.industry && <Tag>{company.industry}</Tag>}
                {inPool && <Tag color="purple">{t('pool.tag')}</Tag>}
                <span className="tj-muted">{t('visit.visitCount', { n: company.visit_count })}</span>
              </Space>
              {inPool && (
                <Alert
                  style={{ marginTop: 8 }}
                  type="info"
                  showIcon
                  message={t('visit.poolHint')}
                  action={<Button size="small" type="primary" onClick={claim} loading={claiming.busy}>{t('customer.claim')}</Button>}
                />
              )}
              {notMine && <Alert style={{ marginTop: 8 }} type="warning" showIcon message={t('visit.notMine')} />}
            </div>
          )}
          <Form.Item label={t('visit.kind')}>
            <Segmented
              block
              size="large"
              value={kind}
              onChange={(v) => setKind(v as VisitKind)}
              data-testid="visit-kind"
              options={[
                { value: 'visit', label: <span><CarOutlined /> {t('kind.visit')}</span> },
                { value: 'call', label: <span><PhoneOutlined /> {t('kind.call')}</span> },
                { value: 'accompanied', label: <span><TeamOutlined /> {t('kind.accompaniedShort')}</span> },
              ]}
            />
          </Form.Item>
          {kind === 'accompanied' && (
            <>
              <Form.Item name="companion_id" label={t('visit.companion')} rules={[{ required: true, message: t('visit.companionRequired') }]}>
                <Select size="large" options={companions.map((u) => ({ value: u.id, label: u.display_name }))} placeholder={t('visit.companionPh')} />
              </Form.Item>
              <Form.Item name="coaching_stage" label={t('visit.stage')}>
                <Radio.Group optionType="button" buttonStyle="solid" style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                  {STAGES.map((s) => (
                    <Radio.Button key={s.v} value={s.v} style={{ borderRadius: 8 }}>
                      {s.v}. {t(s.k)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </>
          )}
          <Form.Item name="at" label={t('visit.at')} extra={t('visit.atHint')}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              size="large"
              style={{ width: '100%' }}
              placeholder={t('visit.atNow')}
              data-testid="visit-at"
              disabledDate={(d) => {
                const day = d.format('YYYY-MM-DD');
                const today = todayIn(tz);
                return day > today || day < addDays(today, -365);
              }}
            />
          </Form.Item>
          <Form.Item label={t('visit.duration')}>
            <Space wrap>
              <Form.Item name="duration_min" noStyle>
                <Segmented options={[15, 30, 45, 60, 90].map((m) => ({ value: m, label: `${m}′` }))} />
              </Form.Item>
              <Form.Item name="duration_min" noStyle>
                <InputNumber aria-label={t('visit.duration')} min={1} max={1440} addonAfter={t('visit.minutes')} style={{ width: 150 }} inputMode="numeric" />
              </Form.Item>
            </Space>
          </Form.Item>
        </Card>

        <Card size="small" title={t('visit.qualify')} extra={<span className="tj-muted" style={{ fontSize: 12 }}>{t('visit.qualifyHint')}</span>}>
          <Row gutter={[8, 8]}>
            {(
              [
                ['need', 'visit.need', 'visit.needHint'],
                ['budget', 'visit.budget', 'visit.budgetHint'],
                ['met_payer', 'visit.payer', 'visit.payerHint'],
              ] as const
            ).map(([name, label, hint]) => (
              <Col xs={24} sm={8} key={name}>
                <div className="tj-check" style={{ justifyContent: 'space-between', minHeight: 56 }}>
                  <div style={{ minWidth: 0 }}>
                    <div style={{ fontWeight: 600, color: '#1f1f1f' }}>{t(label)}</div>
                    <div className="tj-muted" style={{ fontSize: 12 }}>{t(hint)}</div>
                  </div>
                  <Form.Item name={name} valuePropName="checked" noStyle>
                    <Switch aria-label={t(label)} data-testid={`visit-${name}`} />
                  </Form.Item>
                </div>
              </Col>
            ))}
          </Row>
          {company?.payer_met && <div className="tj-muted" style={{ fontSize: 12, marginTop: 8 }}>{t('visit.payerKnown')}</div>}
        </Card>

        <Collapse
          defaultActiveKey={[]}
          items={[
            {
              key: 'd',
              label: <span style={{ fontWeight: 600 }}>{t('visit.discovery')}</span>,
              children: (
                <>
                  <Form.Item name="interest_reason" label={t('visit.interest')} extra={
                    <Space size={4} wrap style={{ marginTop: 6 }}>
                      {INTEREST_CHIPS.map((k) => (
                        <Tag key={k} style={{ cursor: 'pointer' }} onClick={() => form.setFieldValue('interest_reason', t(k))}>
                          {t(k)}
                        </Tag>
                      ))}
                    </Space>
                  }>
                    <Input maxLength={500} placeholder={t('visit.interestPh')} />
                  </Form.Item>
                  <Form.Item name="attraction" label={t('visit.attraction')}>
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder={t('visit.attractionPh')} />
                  </Form.Item>
                  <Form.Item name="concerns" label={t('visit.concerns')}>
                    <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={500} placeholder={t('visit.concernsPh')} />
                  </Form.Item>
                  <Form.Item name="notes" label={t('visit.notes')}>
                    <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />

        <Card size="small">
          <div style={{ display: 'flex', alignItems: 'center', gap: 12 }}>
            <EnvironmentOutlined style={{ fontSize: 20, color: '#c8281e' }} />
            <div style={{ flex: 1, minWidth: 0 }}>
              <div style={{ fontWeight: 600 }}>{t('visit.checkin')}</div>
              <div className="tj-muted" style={{ fontSize: 12 }} data-testid="visit-geo">
                {geo.state === 'off' && t('visit.checkinHint')}
                {geo.state === 'locating' && t('visit.locating')}
                {geo.state === 'ok' && t('visit.located', { lat: geo.lat.toFixed(5), lng: geo.lng.toFixed(5), acc: Math.round(geo.acc) })}
                {geo.state === 'error' && <span style={{ color: '#cf1322' }}>{geo.msg}</span>}
              </div>
            </div>
            <Switch aria-label={t('visit.checkin')} checked={geo.state !== 'off'} loading={geo.state === 'locating'} onChange={locate} />
          </div>
        </Card>

        {err ? (
          <Alert
            type="error"
            showIcon
            message={errText(err)}
            action={err instanceof ApiError && err.code === 'in_pool' ? <Button size="small" onClick={claim}>{t('customer.claim')}</Button> : undefined}
          />
        ) : null}

        <div className="tj-sticky-submit">
          <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="visit-submit" style={{ height: 50, fontSize: 17 }}>
            {t('visit.submit')}
          </Button>
        </div>
      </div>
    </Form>
  );
}

function VisitQueued({ name, onAgain }: { name: string; onAgain: () => void }) {
  const { t } = useI18n();
  const items = useQueued();
  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }} className="tj-card-gap" data-testid="visit-queued">
      <Card>
        <div style={{ textAlign: 'center', padding: '8px 0' }}>
          <CloudUploadOutlined style={{ fontSize: 48, color: '#d48806' }} />
          <Typography.Title level={4} style={{ margin: '8px 0 4px' }}>
            {t('visit.queued')}
          </Typography.Title>
          <div className="tj-break" style={{ fontWeight: 600 }}>{name}</div>
          <div className="tj-muted" style={{ marginTop: 8 }}>{t('visit.queuedHint')}</div>
        </div>
      </Card>
      {items.length > 0 && (
        <Card size="small" title={t('queue.title')}>
          <QueuedList items={items} />
        </Card>
      )}
      <Button block size="large" type="primary" onClick={onAgain} data-testid="visit-again">
        {t('visit.again')}
      </Button>
    </div>
  );
}

function Confetti() {
  const colors = ['#c8281e', '#f2641c', '#faad14', '#52c41a', '#1677ff', '#eb2f96'];
  return (
    <div className="tj-confetti" aria-hidden>
      {Array.from({ length: 36 }, (_, i) => (
        <i
          key={i}
          style={{
            left: `${(i * 37) % 100}%`,
            background: colors[i % colors.length],
            animationDelay: `${(i % 9) * 0.08}s`,
            transform: `rotate(${i * 23}deg)`,
          }}
        />
      ))}
    </div>
  );
}

function VisitDone({ result, onAgain }: { result: VisitResult; onAgain: () => void }) {
  const me = useMe();
  const { t, tz } = useI18n();
  const { navigate } = useRouter();
  const today = todayIn(tz);
  const metrics = useAsync(() => get<MetricsList>('/metrics/reps', { from: today, to: today }), [today, result.id]);
  const mine = metrics.data?.items.find((r) => r.rep_id === me.id);
  const c = result.company;
  const made = result.made_effective;
  const missing: Key[] = [];
  if (!c.need) missing.push('visit.need');
  if (!c.budget) missing.push('visit.budget');
  if (!c.payer_met) missing.push('visit.payer');

  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }} className="tj-card-gap" data-testid="visit-result" data-effective={String(result.effective)} data-made-effective={String(made)}>
      <Card>
        {made ? (
          <div className="tj-celebrate">
            <Confetti />
            <TrophyFilled style={{ fontSize: 56, color: '#faad14' }} />
            <div className="big" data-testid="effective-plus-one">{t('visit.effectivePlus')}</div>
            <Typography.Title level={4} style={{ marginTop: 4 }} className="tj-break">
              {c.name}
            </Typography.Title>
            <div className="tj-muted">{t('visit.effectiveCheer')}</div>
          </div>
        ) : (
          <div style={{ textAlign: 'center', padding: '8px 0' }}>
            <CheckCircleFilled style={{ fontSize: 48, color: '#52c41a' }} />
            <Typography.Title level={4} style={{ margin: '8px 0 4px' }}>
              {t('visit.logged')}
            </Typography.Title>
            <div className="tj-break" style={{ fontWeight: 600 }}>{c.name}</div>
            <div style={{ marginTop: 8 }}>
              <StatusTag status={result.status} />
            </div>
            {result.effective ? (
              <div className="tj-muted" style={{ marginTop: 8 }}>{t('visit.alreadyEffective')}</div>
            ) : c.is_new && missing.length ? (
              <div style={{ marginTop: 12 }}>
                <span className="tj-muted">{t('visit.stillMissing')}</span>{' '}
                {missing.map((k) => (
                  <Tag key={k} color="red" icon={<CloseCircleFilled />}>
                    {t(k)}
                  </Tag>
                ))}
              </div>
            ) : null}
          </div>
        )}
      </Card>
      {me.role === 'rep' && (
        <Card title={t('today.quota')} size="small">
          <Row gutter={[16, 16]}>
            <Col xs={24} sm={12}>
              <QuotaRing testId="result-quota-visits" label={t('today.visitsNew')} done={mine?.visits_new ?? 0} quota={mine?.quota_visits_new ?? 0} size={72} />
            </Col>
            <Col xs={24} sm={12}>
              <QuotaRing testId="result-quota-effective" label={t('today.effectiveNew')} done={mine?.effective_new ?? 0} quota={mine?.quota_effective_new ?? 0} size={72} />
            </Col>
          </Row>
        </Card>
      )}
      <Row gutter={12}>
        <Col span={12}>
          <Button block size="large" type="primary" onClick={onAgain} data-testid="visit-again">
            {t('visit.again')}
          </Button>
        </Col>
        <Col span={12}>
          <Button block size="large" onClick={() => navigate(`/customers/${c.id}`)}>
            {t('visit.openCustomer')}
          </Button>
        </Col>
      </Row>
    </div>
  );
}
