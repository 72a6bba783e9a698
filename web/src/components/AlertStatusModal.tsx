// Drop or nurture a company from its alert (AlertList): the reason and the revisit date, then
// PATCH. Its own chunk, fetched the first time it opens (Form and DatePicker are not on the first screen).
import { App, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, get, type Alert, type Company } from '../api';
import { useAction } from './common';
import { useI18n } from '../i18n';

/** Drop or nurture a company from its alert: the reason (and the revisit date), then PATCH. */
export default function StatusModal({ target, onClose, onDone }: { target: { alert: Alert; act: 'drop' | 'nurture' } | null; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string; revisit_on?: Dayjs }>();
  const { busy, run } = useAction();
  const nurture = target?.act === 'nurture';
  const submit = (v: { reason: string; revisit_on?: Dayjs }) =>
    run(async () => {
      if (!target?.alert.company_id) return;
      const c = await get<Company>(`/companies/${target.alert.company_id}`);
      const body = nurture
        ? { version: c.version, status: 'nurture', nurture_reason: v.reason, revisit_on: v.revisit_on!.format('YYYY-MM-DD') }
        : { version: c.version, status: 'dropped', drop_reason: v.reason };
      await api('PATCH', `/companies/${target.alert.company_id}`, body);
      message.success(t(nurture ? 'alerts.nurtured' : 'alerts.dropped'));
      form.resetFields();
      onDone();
    });
  return (
    <Modal
      open={!!target}
      title={t(nurture ? 'alerts.nurture' : 'alerts.drop')}
      okText={t(nurture ? 'alerts.nurture' : 'alerts.drop')}
      okButtonProps={{ danger: !nurture, loading: busy }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnClose
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ revisit_on: dayjs().add(14, 'day') }}>
        <Form.Item name="reason" label={t(nurture ? 'alerts.nurtureReason' : 'alerts.dropReason')} rules={[{ required: true, message: t('alerts.reasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={500} data-testid="alert-status-reason" />
        </Form.Item>
        {nurture && (
          <Form.Item name="revisit_on" label={t('alerts.revisitOn')} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

