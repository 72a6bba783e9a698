// The company form (create, or edit with the company's version), drawn with antd's Form: loaded
// with antd on first use (lazyAntd in Customers.tsx and CustomerDetail.tsx), never on the first
// screen of those pages (issue 15).
import { useEffect, useState } from 'react';
import { Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { api, type Company } from '../api';
import { useI18n, type Key } from '../i18n';
import { useAction } from '../components/common';
import { NameCheck } from '../components/NameCheck';
import { useDuplicateRefusal } from '../components/PoolErrors';
import { showDialog, toast } from '../ui';
import { IndustrySelect } from './Industries';
import { SOURCES } from './companyParts';

/** Create (no `company`) or edit (with `company`, carrying its version) a company. */
export default function CompanyForm({
  open,
  company,
  onClose,
  onSaved,
  onStale,
}: {
  open: boolean;
  company?: Company;
  onClose: () => void;
  onSaved: (c: Company) => void;
  onStale?: () => void;
}) {
  const { t } = useI18n();
  const duplicateRefusal = useDuplicateRefusal();
  const [form] = Form.useForm();
  const typedName = Form.useWatch('name', form) as string | undefined;
  const { busy, run } = useAction();
  // The company's place: undefined = unchanged, null = cleared, else set from the phone's position.
  const [place, setPlace] = useState<{ lat: number; lng: number } | null | undefined>(undefined);
  const [locating, setLocating] = useState(false);
  const shownPlace = place === undefined ? company?.location ?? null : place;
  const locate = () => {
    if (!navigator.geolocation) {
      toast.error(t('customer.placeUnavailable'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPlace({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 });
        setLocating(false);
      },
      () => {
        toast.error(t('customer.placeUnavailable'));
        setLocating(false);
      },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  };
  useEffect(() => {
    if (!open) return;
    setPlace(undefined);
    form.resetFields();
    if (company)
      form.setFieldsValue({
        ...company,
        budget_yuan: company.budget_capacity === null ? null : company.budget_capacity / 100,
      });
  }, [open, company, form]);

  const save = (v: Record<string, unknown>) => {
    const body: Record<string, unknown> = {};
    for (const k of ['name', 'industry', 'region', 'source', 'competitor', 'address']) if (v[k] !== undefined) body[k] = ((v[k] as string) ?? '').trim();
    if (place !== undefined) body.location = place;
    body.industry_rank = v.industry_rank ?? null;
    body.budget_capacity = v.budget_yuan === null || v.budget_yuan === undefined ? null : Math.round(Number(v.budget_yuan) * 100);
    if (!company) {
      if (body.industry_rank === null) delete body.industry_rank;
      if (body.budget_capacity === null) delete body.budget_capacity;
    } else body.version = company.version;
    return run(
      async () => {
        const c = company ? await api<Company>('PATCH', `/companies/${company.id}`, body) : await api<Company>('POST', '/companies', body);
        toast.success(t('common.saved'));
        onSaved(c);
      },
      (e) => {
        if (e && (e as { code?: string }).code === 'stale_version') {
          void showDialog({ type: 'warning', title: t('err.staleTitle'), content: t('err.stale_version') });
          onStale?.();
          return true;
        }
        return duplicateRefusal(e);
      },
    );
  };

  return (
    <Modal
      open={open}
      title={company ? t('customer.edit') : t('customers.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnClose
    >
      <Form form={form} layout="vertical" onFinish={save} requiredMark="optional">
        <Form.Item
          name="name"
          label={t('customers.name')}
          rules={[{ required: true, whitespace: true, message: t('customers.nameRequired') }]}
          extra={open && (!company || (typedName ?? '').trim() !== company.name) ? <NameCheck name={typedName} exceptId={company?.id} /> : undefined}
        >
          <Input maxLength={200} data-testid="company-name" />
        </Form.Item>
        <Row gutter={8}>
          <Col span={14}>
            <Form.Item name="industry" label={t('customers.industry')}>
              <IndustrySelect />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="industry_rank" label={t('customers.rank')}>
              <InputNumber min={1} max={1000000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="region" label={t('customers.region')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="source" label={t('customers.source')}>
              <Select allowClear options={SOURCES.map((s) => ({ value: s, label: t(`source.${s}` as Key) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="budget_yuan" label={t('customers.budgetYuan')}>
          <InputNumber min={0} step={1000} precision={2} style={{ width: '100%' }} prefix="¥" />
        </Form.Item>
        <Form.Item name="competitor" label={t('customers.competitor')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="address" label={t('customer.address')}>
          <Input maxLength={200} data-testid="company-address" />
        </Form.Item>
        <Form.Item label={t('customer.place')} extra={t('customer.placeHint')}>
          <Space wrap>
            <Button icon={<EnvironmentOutlined />} onClick={locate} loading={locating} data-testid="company-locate">
              {t('customer.placeHere')}
            </Button>
            {shownPlace ? (
              <>
                <span className="tj-muted" data-testid="company-place">
                  {shownPlace.lat.toFixed(5)}, {shownPlace.lng.toFixed(5)}
                </span>
                <Button type="link" size="small" onClick={() => setPlace(null)}>
                  {t('customer.placeClear')}
                </Button>
              </>
            ) : (
              <span className="tj-muted">{t('customer.placeUnknown')}</span>
            )}
          </Space>
        </Form.Item>
      </Form>
    </Modal>
  );
}
