import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Dropdown,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Tag,
  Timeline,
  Typography,
} from 'antd';
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
import dayjs from 'dayjs';
import { api, ApiError, get, type Company, type Contact, type Deal, type Visit } from '../api';
import { useMe } from '../auth';
import { useI18n, type Key } from '../i18n';
import { useAsync, useUsers } from '../hooks';
import { useRouter } from '../router';
import { ErrorBox, StatusTag, useAction, useErrText } from '../components/common';
import { CompanyForm, SOURCES } from './Customers';
import { STAGES } from './LogVisit';
import { forgetCompany } from '../companyNames';
import { todayIn } from '../dates';
import { useClaimRefusal } from '../components/PoolErrors';
import { FitTag } from './Industries';

export const STYLES = ['driver', 'analytical', 'amiable', 'expressive'];

export function useLabel() {
  const { t } = useI18n();
  return {
    source: (s: string) => (s && SOURCES.includes(s) ? t(`source.${s}` as Key) : s || '—'),
    style: (s: string) => (s && STYLES.includes(s) ? t(`style.${s}` as Key) : s || '—'),
  };
}

export default function CustomerDetail({ id }: { id: number }) {
  const me = useMe();
  const { t, fmt } = useI18n();
  const { navigate } = useRouter();
  const { message, modal } = App.useApp();
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
      <Result
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
        message.success(t('customer.claimed'));
      },
      (e) => claimRefusal(e),
    );

  const patchStatus = async (body: Record<string, unknown>) => {
    try {
      await api<Company>('PATCH', `/companies/${id}`, { ...body, version: c.version });
      message.success(t('common.saved'));
      setDialog(null);
      refresh();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'stale_version') {
        modal.warning({ title: t('err.staleTitle'), content: t('err.stale_version') });
        setDialog(null);
        refresh();
      } else message.error(errText(e));
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
            <Dropdown
              trigger={['click']}
              menu={{ items: moreItems, onClick: ({ key }) => setDialog(key as 'edit') }}
            >
              <Button icon={<MoreOutlined />} data-testid="customer-more" />
            </Dropdown>
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
              <Descriptions column={1} size="small" labelStyle={{ width: 110 }}>
                <Descriptions.Item label={t('customers.industry')}>
                  {c.industry || '—'}
                  {c.industry_rank ? ` · ${t('customers.rankN', { n: c.industry_rank })}` : ''}
                </Descriptions.Item>
                <Descriptions.Item label={t('customers.region')}>{c.region || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('customer.address')}>
                  <span className="tj-break" data-testid="customer-address">
                    {c.address || '—'}
                    {c.location ? <span className="tj-muted"> · {t('customer.placeKnown')}</span> : null}
                  </span>
                </Descriptions.Item>
                <Descriptions.Item label={t('customers.budget')}>{fmt.money(c.budget_capacity)}</Descriptions.Item>
                <Descriptions.Item label={t('customers.source')}>{label.source(c.source)}</Descriptions.Item>
                <Descriptions.Item label={t('customers.competitor')}>{c.competitor || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('visit.interest')}><span className="tj-pre">{c.interest_reason || '—'}</span></Descriptions.Item>
                <Descriptions.Item label={t('visit.attraction')}><span className="tj-pre">{c.attraction || '—'}</span></Descriptions.Item>
                <Descriptions.Item label={t('visit.concerns')}><span className="tj-pre">{c.concerns || '—'}</span></Descriptions.Item>
                <Descriptions.Item label={t('customers.visits')}>{c.visit_count}</Descriptions.Item>
                <Descriptions.Item label={t('customer.firstVisit')}>{fmt.date(c.first_visit_at)}</Descriptions.Item>
              </Descriptions>
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
                            <a href={`tel:${ct.phone.replace(/[^0-9+]/g, '')}`} data-testid="contact-call">
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
      <NurtureDialog open={dialog === 'nurture'} onClose={() => setDialog(null)} onOk={(b) => patchStatus({ status: 'nurture', ...b })} />
      <DropDialog open={dialog === 'drop'} onClose={() => setDialog(null)} onOk={(b) => patchStatus({ status: 'dropped', ...b })} />
      <DealDialog
        open={dialog === 'deal'}
        company={c}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          refresh();
        }}
      />
      <ContactDialog
        open={dialog === 'contact'}
        companyId={c.id}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          refresh();
        }}
      />
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
          {t('visit.companion')}: {companion ?? `#${v.companion_id}`} · {v.coaching_stage ? `${v.coaching_stage}. ${t(STAGES[v.coaching_stage - 1].k)}` : ''}
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

function NurtureDialog({ open, onClose, onOk }: { open: boolean; onClose: () => void; onOk: (b: Record<string, unknown>) => Promise<void> }) {
  const { t, tz } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={open} title={t('customer.nurture')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnClose okText={t('common.save')}>
      <Typography.Paragraph type="secondary">{t('customer.nurtureHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setBusy(true);
          await onOk({ nurture_reason: v.reason.trim(), revisit_on: v.revisit.format('YYYY-MM-DD') });
          setBusy(false);
        }}
      >
        <Form.Item name="reason" label={t('customer.nurtureReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
        </Form.Item>
        <Form.Item name="revisit" label={t('customer.revisitOn')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < todayIn(tz)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DropDialog({ open, onClose, onOk }: { open: boolean; onClose: () => void; onOk: (b: Record<string, unknown>) => Promise<void> }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={t('customer.drop')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnClose
      okText={t('customer.dropConfirm')}
      okButtonProps={{ danger: true }}
    >
      <Typography.Paragraph type="secondary">{t('customer.dropHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={async (v) => {
          setBusy(true);
          await onOk({ drop_reason: v.reason.trim() });
          setBusy(false);
        }}
      >
        <Form.Item name="reason" label={t('customer.dropReason')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DealDialog({ open, company, onClose, onDone }: { open: boolean; company: Company; onClose: () => void; onDone: () => void }) {
  const { t, fmt, tz } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { busy, run } = useAction();
  const yuan = Form.useWatch('yuan', form);
  return (
    <Modal open={open} title={t('customer.addDeal')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnClose okText={t('common.save')}>
      <Typography.Paragraph strong className="tj-break">{company.name}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ signed_on: dayjs(todayIn(tz)) }}
        onFinish={(v) =>
          run(async () => {
            await api<Deal>('POST', '/deals', {
              company_id: company.id,
              amount: Math.round(Number(v.yuan) * 100),
              signed_on: v.signed_on.format('YYYY-MM-DD'),
            });
            message.success(t('customer.dealSaved'));
            onDone();
          })
        }
      >
        <Form.Item name="yuan" label={t('customer.amountYuan')} rules={[{ required: true, message: t('common.required') }]} extra={yuan ? fmt.money(Math.round(Number(yuan) * 100)) : undefined}>
          <InputNumber min={0.01} max={1e13} precision={2} step={1000} prefix="¥" style={{ width: '100%' }} size="large" data-testid="deal-amount" />
        </Form.Item>
        <Form.Item name="signed_on" label={t('customer.signedOn')} rules={[{ required: true, message: t('common.required') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') > todayIn(tz)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ContactDialog({ open, companyId, onClose, onDone }: { open: boolean; companyId: number; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const { busy, run } = useAction();
  return (
    <Modal open={open} title={t('customer.addContact')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnClose okText={t('common.save')}>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ is_payer: false }}
        onFinish={(v) =>
          run(async () => {
            await api<Contact>('POST', `/companies/${companyId}/contacts`, {
              name: v.name.trim(),
              title: (v.title ?? '').trim(),
              phone: (v.phone ?? '').trim(),
              style: v.style ?? '',
              is_payer: !!v.is_payer,
            });
            message.success(t('common.saved'));
            onDone();
          })
        }
      >
        <Form.Item name="name" label={t('contact.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="title" label={t('contact.title')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label={t('contact.phone')}>
              <Input maxLength={50} inputMode="tel" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="style" label={t('contact.style')} extra={t('contact.styleHint')}>
          <Select allowClear options={STYLES.map((s) => ({ value: s, label: t(`style.${s}` as Key) }))} />
        </Form.Item>
        <Form.Item name="is_payer" label={t('contact.isPayer')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
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
  const { message } = App.useApp();
  const errText = useErrText();
  const label = useLabel();
  const fit = useAsync(() => get<Fit>(`/companies/${company.id}/fit`), [company.id]);
  if (!fit.data) return null;
  const best = fit.data.suggested_rep;
  const assign = async () => {
    if (!best) return;
    try {
      await api('PATCH', `/companies/${company.id}`, { owner_id: best.rep_id, version: company.version });
      message.success(t('common.saved'));
      onAssigned();
    } catch (e) {
      message.error(errText(e));
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
