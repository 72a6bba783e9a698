// The customer page's dialogs with forms (nurture, drop, a deal, a contact), drawn with antd's
// Form: loaded with antd when one is first opened (lazyAntd in CustomerDetail.tsx), never on the
// page's first screen (issue 15).
import { useState } from 'react';
import { Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Switch, Typography } from 'antd';
import dayjs from 'dayjs';
import { api, type Company, type Contact, type Deal } from '../api';
import { useI18n, type Key } from '../i18n';
import { useAction } from '../components/common';
import { todayIn } from '../dates';
import { toast } from '../ui';
import { STYLES } from './companyParts';

export function NurtureDialog({ open, onClose, onOk }: { open: boolean; onClose: () => void; onOk: (b: Record<string, unknown>) => Promise<void> }) {
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

export function DropDialog({ open, onClose, onOk }: { open: boolean; onClose: () => void; onOk: (b: Record<string, unknown>) => Promise<void> }) {
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

export function DealDialog({ open, company, onClose, onDone }: { open: boolean; company: Company; onClose: () => void; onDone: () => void }) {
  const { t, fmt, tz } = useI18n();
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
            toast.success(t('customer.dealSaved'));
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

export function ContactDialog({ open, companyId, onClose, onDone }: { open: boolean; companyId: number; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
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
            toast.success(t('common.saved'));
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
