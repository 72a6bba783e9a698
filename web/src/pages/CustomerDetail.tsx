import { useState } from 'react';
import { Button, Card, Col, Empty, List, Row, Skeleton, Space, Tag, Typography, showDialog, toast } from '../ui';
import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  CloseCircleFilled,
  EditOutlined,
  MoreOutlined,
  PlusOutlined,
  CrownFilled,
  PhoneOutlined,
  TeamOutlined,
  CarOutlined,
  TrophyFilled,
} from '@ant-design/icons';
import { api, ApiError, get, type Company, type Contact, type Deal, type Visit } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useUsers } from '../hooks';
import { useRouter } from '../router';
import { lazyAntd } from '../antd';
import { ErrorBox, StatusTag, useAction, useErrText } from '../components/common';
import { forgetCompany } from '../companyNames';
import { useClaimRefusal } from '../components/PoolErrors';
import { ActionMenu, FitTag, Later, Outcome, Pairs, STYLES, Timeline } from './companyParts';
import { useLabel } from './labels';

// The dialogs with forms are antd's Form: fetched with antd when one is first opened (issue 15).
const CompanyForm = lazyAntd(() => import('./CompanyForm'));
const NurtureDialog = lazyAntd(() => import('./customerDialogs').then((m) => ({ default: m.NurtureDialog })));
const DropDialog = lazyAntd(() => import('./customerDialogs').then((m) => ({ default: m.DropDialog })));
const DealDialog = lazyAntd(() => import('./customerDialogs').then((m) => ({ default: m.DealDialog })));
const ContactDialog = lazyAntd(() => import('./customerDialogs').then((m) => ({ default: m.ContactDialog })));

export { STYLES, useLabel };

export default function CustomerDetail({ id }: { id: number }) {
  const me = useMe();
  const { t, fmt } = useI18n();
  const { navigate } = useRouter();
  const errText = useErrText();
  const label = useLabel();
  const { byId } = useUsers();
  // The page's first screen from one request (issue 15): the company, its contacts, visits and deals.
  const view = useAsync(() => get<CompanyView>(`/views/company/${id}`), [id]);
  const company = {
    data: view.data?.company,
    loading: view.loading,
    error: view.error,
    setData: (c: Company) => view.data && view.setData({ ...view.data, company: c }),
  };
  const visits = { data: view.data ? { items: view.data.visits } : undefined, loading: view.loading && !view.data, error: null };
  const deals = { data: view.data ? { items: view.data.deals } : undefined, loading: view.loading && !view.data };
  const claimRefusal = useClaimRefusal();
  const claiming = useAction();
  const [dialog, setDialog] = useState<null | 'edit' | 'nurture' | 'drop' | 'deal' | 'contact'>(null);

  if (company.loading && !company.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (company.error)
    return (
      <Outcome
        status={company.error instanceof ApiError && company.error.status === 404 ? '404' : 'error'}
        title={company.error instanceof ApiError && company.error.status === 404 ? t('customer.notFound') : errText(company.error)}
        extra={<Button onClick={() => navigate('/customers')}>{t('customer.back')}</Button>}
      />
    );
  const c = company.data!;
  const inPool = c.owner_id === null;
  const canWrite = !inPool && (me.role !== 'rep' || c.owner_id === me.id);
  const refresh = () => {
    forgetCompany(id);
    view.reload();
  };

  const claim = () =>
    claiming.run(
      async () => {
        const n = await api<Company>('POST', `/companies/${id}/claim`);
        company.setData({ ...n, contacts: c.contacts });
        forgetCompany(id);
        toast.success(t('customer.claimed'));
      },
      (e) => claimRefusal(e),
    );

  const patchStatus = async (body: Record<string, unknown>) => {
    try {
      await api<Company>('PATCH', `/companies/${id}`, { ...body, version: c.version });
      toast.success(t('common.saved'));
      setDialog(null);
      refresh();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale_version') {
        void showDialog({ type: 'warning', title: t('err.staleTitle'), content: t('err.stale_version') });
        setDialog(null);
        refresh();
      } else toast.error(errText(e));
    }
  };

  const checks: { k: 'need' | 'budget' | 'payer_met'; label: Key; hint: Key }[] = [
    { k: 'need', label: 'visit.need', hint: 'visit.needHint' },
    { k: 'budget', label: 'visit.budget', hint: 'visit.budgetHint' },
    { k: 'payer_met', label: 'visit.payer', hint: 'visit.payerHint' },
  ];

  const moreItems = [
    { key: 'edit', label: t('customer.edit'), icon: <EditOutlined />, disabled: !canWrite && !(me.role !== 'rep') },
    { key: 'nurture', label: t('customer.nurture'), disabled: !canWrite || c.status === 'signed' || c.status === 'nurture' },
    { key: 'drop', label: t('customer.drop'), danger: true, disabled: !canWrite || c.status === 'dropped' },
  ];

  return (
    <div className="tj-card-gap" data-testid="customer-detail">
      <div>
        <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate('/customers')} style={{ paddingLeft: 0 }}>
          {t('customer.back')}
        </Button>
      </div>
      <Card>
        <div style={{ display: 'flex', gap: 12, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <div style={{ flex: 1, minWidth: 220 }}>
            <Typography.Title level={2} style={{ margin: 0, fontSize: 24 }} className="tj-break" data-testid="customer-name">
              {c.name}
            </Typography.Title>
            <Space wrap size={6} style={{ marginTop: 8 }}>
              <StatusTag status={c.status} />
              {c.effective && <Tag color="red" icon={<TrophyFilled />}>{t('customer.effectiveNew')}</Tag>}
              {!c.is_new && <Tag color="cyan">{t('customer.existing')}</Tag>}
              <FitTag fit={c.fit} />
              {inPool ? (
                <Tag color="purple">{t('pool.tag')}</Tag>
              ) : (
                <span className="tj-muted">
                  {t('customers.owner')}: {c.owner_id === me.id ? t('customers.me') : byId.get(c.owner_id!)?.display_name ?? `#${c.owner_id}`}
                </span>
              )}
            </Space>
          </div>
          <Space wrap>
            {inPool ? (
              <Button type="primary" onClick={claim} loading={claiming.busy} data-testid="customer-claim">
                {t('customer.claim')}
              </Button>
            ) : (
              <>
                <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/visit?company=${c.id}`)} disabled={!canWrite}>
                  {t('nav.visit')}
                </Button>
                <Button icon={<CrownFilled />} onClick={() => setDialog('deal')} disabled={!canWrite} data-testid="customer-add-deal">
                  {t('customer.addDeal')}
                </Button>
              </>
            )}
            <ActionMenu items={moreItems} onPick={(key) => setDialog(key as 'edit')} label={t('nav.more')} icon={<MoreOutlined />} testId="customer-more" />
          </Space>
        </div>
        {c.status === 'nurture' && (
          <div style={{ marginTop: 12, background: '#fffbe6', padding: '8px 12px', borderRadius: 10 }} className="tj-break">
            {t('customer.nurturing', { date: fmt.date(c.revisit_on) })} {c.nurture_reason}
          </div>
        )}
        {c.status === 'dropped' && c.drop_reason && (
          <div style={{ marginTop: 12, background: '#f5f5f5', padding: '8px 12px', borderRadius: 10 }} className="tj-break">
            {t('customer.droppedBecause')} {c.drop_reason}
          </div>
        )}
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <div className="tj-card-gap">
            <Card title={t('customer.qualification')} size="small" data-testid="customer-checklist">
              <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                {checks.map((x) => (
                  <div key={x.k} className={`tj-check ${c[x.k] ? 'ok' : 'no'}`} data-ok={String(c[x.k])}>
                    {c[x.k] ? <CheckCircleFilled /> : <CloseCircleFilled />}
                    <div>
                      <div style={{ fontWeight: 600 }}>{t(x.label)}</div>
                      <div className="tj-muted" style={{ fontSize: 12 }}>{t(x.hint)}</div>
                    </div>
                  </div>
                ))}
              </div>
              <div style={{ marginTop: 10, fontSize: 13 }}>
                {c.effective ? (
                  <span style={{ color: '#c8281e', fontWeight: 600 }}>
                    {t('customer.effectiveSince', { date: fmt.date(c.effective_at) })}
                  </span>
                ) : c.is_new ? (
                  <span className="tj-muted">{c.payer_met ? t('customer.notYet') : t('customer.findPayer')}</span>
                ) : (
                  <span className="tj-muted">{t('customer.signedSince', { date: fmt.date(c.signed_at) })}</span>
                )}
              </div>
            </Card>
            <Card title={t('customer.profile')} size="small">
              <Pairs
                items={[
                  { label: t('customers.industry'), children: <>{c.industry || '—'}{c.industry_rank ? ` · ${t('customers.rankN', { n: c.industry_rank })}` : ''}</> },
                  { label: t('customers.region'), children: c.region || '—' },
                  {
                    label: t('customer.address'),
                    children: (
                      <span className="tj-break" data-testid="customer-address">
                        {c.address || '—'}
                        {c.location ? <span className="tj-muted"> · {t('customer.placeKnown')}</span> : null}
                      </span>
                    ),
                  },
                  { label: t('customers.budget'), children: fmt.money(c.budget_capacity) },
                  { label: t('customers.source'), children: label.source(c.source) },
                  { label: t('customers.competitor'), children: c.competitor || '—' },
                  { label: t('visit.interest'), children: <span className="tj-pre">{c.interest_reason || '—'}</span> },
                  { label: t('visit.attraction'), children: <span className="tj-pre">{c.attraction || '—'}</span> },
                  { label: t('visit.concerns'), children: <span className="tj-pre">{c.concerns || '—'}</span> },
                  { label: t('customers.visits'), children: c.visit_count },
                  { label: t('customer.firstVisit'), children: fmt.date(c.first_visit_at) },
                ]}
              />
            </Card>
            {me.role !== 'rep' && c.effective && <FitCard company={c} onAssigned={refresh} />}
            <Card
              title={t('customer.contacts')}
              size="small"
              extra={
                <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('contact')} disabled={!canWrite} data-testid="contact-add">
                  {t('common.add')}
                </Button>
              }
            >
              <List
                dataSource={c.contacts ?? []}
                locale={{ emptyText: t('customer.noContacts') }}
                renderItem={(ct: Contact) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <Space wrap size={4}>
                          <span className="tj-break">{ct.name}</span>
                          {ct.is_payer && <Tag color="gold" icon={<CrownFilled />}>{t('contact.payer')}</Tag>}
                          {ct.style && <Tag>{label.style(ct.style)}</Tag>}
                        </Space>
                      }
                      description={
                        <span className="tj-break">
                          {ct.title}
                          {ct.title && ct.phone ? ' · ' : ''}
                          {ct.phone ? (
                            <a className="tj-tel" href={`tel:${ct.phone.replace(/[^0-9+]/g, '')}`} data-testid="contact-call">
                              <PhoneOutlined /> <span className="tj-sr-only">{t('customer.callN', { name: ct.name })} </span>
                              {ct.phone}
                            </a>
                          ) : null}
                          {!ct.title && !ct.phone ? '—' : null}
                        </span>
                      }
                    />
                  </List.Item>
                )}
              />
            </Card>
          </div>
        </Col>
        <Col xs={24} lg={14}>
          <div className="tj-card-gap">
            <Card title={t('customer.timeline')} size="small" data-testid="customer-timeline">
              <ErrorBox error={visits.error} />
              {visits.loading ? (
                <Skeleton active />
              ) : !visits.data?.items.length ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.noVisits')} />
              ) : (
                <Timeline
                  style={{ marginTop: 8 }}
                  items={visits.data.items.map((v) => ({
                    color: v.made_effective ? 'red' : v.kind === 'accompanied' ? 'purple' : 'blue',
                    dot: v.made_effective ? <TrophyFilled style={{ color: '#faad14', fontSize: 16 }} /> : undefined,
                    children: (
                      <VisitItem
                        v={v}
                        rep={byId.get(v.rep_id)?.display_name}
                        companion={v.companion_id ? byId.get(v.companion_id)?.display_name : undefined}
                        address={c.address ?? ''}
                      />
                    ),
                  }))}
                />
              )}
            </Card>
            <Card
              title={t('customer.deals')}
              size="small"
              extra={
                <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('deal')} disabled={!canWrite}>
                  {t('common.add')}
                </Button>
              }
            >
              <List
                dataSource={deals.data?.items ?? []}
                loading={deals.loading}
                locale={{ emptyText: t('customer.noDeals') }}
                renderItem={(d) => (
                  <List.Item extra={<b style={{ color: '#237804' }}>{fmt.money(d.amount)}</b>}>
                    <List.Item.Meta
                      title={fmt.date(d.signed_on)}
                      description={byId.get(d.rep_id)?.display_name ?? (d.rep_id === me.id ? me.display_name : '')}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </div>
        </Col>
      </Row>

      <Later when={dialog === 'edit'}>
        <CompanyForm
          open={dialog === 'edit'}
          company={c}
          onClose={() => setDialog(null)}
          onSaved={(n) => {
            setDialog(null);
            company.setData({ ...n, contacts: c.contacts });
            forgetCompany(id);
          }}
          onStale={() => {
            setDialog(null);
            refresh();
          }}
        />
      </Later>
      <Later when={dialog === 'nurture'}>
        <NurtureDialog open={dialog === 'nurture'} onClose={() => setDialog(null)} onOk={(b) => patchStatus({ status: 'nurture', ...b })} />
      </Later>
      <Later when={dialog === 'drop'}>
        <DropDialog open={dialog === 'drop'} onClose={() => setDialog(null)} onOk={(b) => patchStatus({ status: 'dropped', ...b })} />
      </Later>
      <Later when={dialog === 'deal'}>
        <DealDialog
          open={dialog === 'deal'}
          company={c}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            refresh();
          }}
        />
      </Later>
      <Later when={dialog === 'contact'}>
        <ContactDialog
          open={dialog === 'contact'}
          companyId={c.id}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            refresh();
          }}
        />
      </Later>
    </div>
  );
}

interface CompanyView {
  company: Company;
  visits: (Visit & { distance_m?: number | null })[];
  deals: Deal[];
}

/** Where the visit was logged: its distance from the company's place when both are known, else the point. */
function CheckIn({ v, address }: { v: Visit & { distance_m?: number | null }; address: string }) {
  const { t, fmt } = useI18n();
  const loc = (v as { location?: { lat: number; lng: number } | null }).location;
  if (!loc) return null;
  const far = v.distance_m !== null && v.distance_m !== undefined && v.distance_m > 1000;
  return (
    <div style={{ fontSize: 12, marginTop: 2 }} data-testid="visit-checkin" data-distance={v.distance_m ?? ''}>
      <span className="tj-muted">{t('customer.checkIn')}: </span>
      {v.distance_m !== null && v.distance_m !== undefined ? (
        <span style={far ? { color: '#c8281e', fontWeight: 600 } : undefined}>
          {v.distance_m < 1000
            ? t('customer.checkInMetres', { n: fmt.num(v.distance_m) })
            : t('customer.checkInKm', { n: fmt.num(v.distance_m / 1000, 1) })}
          {address ? ` · ${address}` : ''}
        </span>
      ) : (
        <span>{t('customer.checkInNoPlace')}</span>
      )}{' '}
      <span className="tj-muted">
        ({loc.lat.toFixed(5)}, {loc.lng.toFixed(5)})
      </span>
    </div>
  );
}

function VisitItem({ v, rep, companion, address }: { v: Visit & { distance_m?: number | null }; rep?: string; companion?: string; address: string }) {
  const { t, fmt } = useI18n();
  const icon = v.kind === 'call' ? <PhoneOutlined /> : v.kind === 'accompanied' ? <TeamOutlined /> : <CarOutlined />;
  const fact = (label: Key, val: boolean | null) =>
    val === null ? null : (
      <Tag color={val ? 'green' : 'default'} style={{ marginInlineEnd: 4 }}>
        {val ? '✓' : '✗'} {t(label)}
      </Tag>
    );
  return (
    <div>
      <Space wrap size={6}>
        <b>{fmt.dateTime(v.at)}</b>
        <Tag icon={icon}>{t(`kind.${v.kind}` as Key)}</Tag>
        {v.duration_min ? <span className="tj-muted">{t('visit.minutesN', { n: v.duration_min })}</span> : null}
        {rep && <span className="tj-muted">· {rep}</span>}
        {v.made_effective && <Tag color="red">{t('visit.effectivePlus')}</Tag>}
      </Space>
      {v.kind === 'accompanied' && (
        <div className="tj-muted" style={{ fontSize: 12 }}>
          {t('visit.companion')}: {companion ?? `#${v.companion_id}`} · {v.coaching_stage ? `${v.coaching_stage}. ${t(`stage.${v.coaching_stage}` as Key)}` : ''}
        </div>
      )}
      <CheckIn v={v} address={address} />
      <div style={{ marginTop: 4 }}>
        {fact('visit.need', v.need)}
        {fact('visit.budget', v.budget)}
        {fact('visit.payer', v.met_payer)}
      </div>
      {(v.interest_reason || v.attraction || v.concerns || v.notes) && (
        <div className="tj-timeline-body tj-break">
          {v.interest_reason && <div><span className="tj-muted">{t('visit.interest')}: </span>{v.interest_reason}</div>}
          {v.attraction && <div><span className="tj-muted">{t('visit.attraction')}: </span>{v.attraction}</div>}
          {v.concerns && <div><span className="tj-muted">{t('visit.concerns')}: </span>{v.concerns}</div>}
          {v.notes && <div className="tj-pre">{v.notes}</div>}
        </div>
      )}
    </div>
  );
}

interface Fit {
  payer_style: string | null;
  suggested_rep: { rep_id: number; display_name: string; win_rate: number; trials: number; wins: number } | null;
  reps: { rep_id: number; display_name: string; win_rate: number; trials: number; wins: number; selling_style: string }[];
  message: string;
}

/** Rep–buyer fit: which rep closes best with this payer's leadership style; one click reassigns. */
function FitCard({ company, onAssigned }: { company: Company; onAssigned: () => void }) {
  const { t, fmt } = useI18n();
  const errText = useErrText();
  const label = useLabel();
  const fit = useAsync(() => get<Fit>(`/companies/${company.id}/fit`), [company.id]);
  if (!fit.data) return null;
  const best = fit.data.suggested_rep;
  const assign = async () => {
    if (!best) return;
    try {
      await api('PATCH', `/companies/${company.id}`, { owner_id: best.rep_id, version: company.version });
      toast.success(t('common.saved'));
      onAssigned();
    } catch (e) {
      toast.error(errText(e));
    }
  };
  return (
    <Card size="small" title={t('fit.title')} data-testid="fit-card">
      <div className="tj-muted tj-break" style={{ fontSize: 13 }}>{fit.data.message}</div>
      {fit.data.payer_style && <div style={{ marginTop: 6 }}>{t('contact.style')}: <Tag>{label.style(fit.data.payer_style)}</Tag></div>}
      {best && (
        <div style={{ marginTop: 8, display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
          <span>
            {t('fit.best')}: <b>{best.display_name}</b> <span className="tj-muted">({fmt.pct(best.win_rate)})</span>
          </span>
          {best.rep_id !== company.owner_id && (
            <Button size="small" type="primary" onClick={assign}>
              {t('fit.assign', { name: best.display_name })}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
