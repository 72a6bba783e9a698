import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Progress, Radio, Result, Row, Select, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { CloudDownloadOutlined, CloudUploadOutlined, InboxOutlined } from '@ant-design/icons';
import { COMPANY_STATUSES, download, get, postFile } from '../api';
import { useI18n, type Key } from '../i18n';
import { ErrorBox, useErrText } from '../components/common';

interface ImportReport {
  dry_run: boolean;
  mode: 'per_row' | 'all_or_nothing';
  applied: boolean;
  rows: number;
  blank_rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  imported: number;
  rejects: { row: number; reasons: unknown[] }[];
  rejects_truncated: boolean;
  updates?: { row: number; name: string; changes: unknown }[];
  file?: { name: string; format: string; encoding: string; sheet: string | null; header_row: number };
  columns?: { column: string; header: string; field: string | null }[];
  warnings?: string[];
}

const FIELD_LABEL: Record<string, Key> = {
  name: 'customers.name',
  industry: 'customers.industry',
  industry_rank: 'customers.rank',
  region: 'customers.region',
  budget_capacity: 'customers.budget',
  source: 'customers.source',
  competitor: 'customers.competitor',
  owner: 'customers.owner',
  status: 'customers.status',
};

/** GET /imports/progress: where a running import is. */
interface ImportProgress {
  phase: 'upload' | 'read' | 'check' | 'write' | 'index' | 'commit' | 'done' | 'failed';
  done: number;
  total: number;
  finished: boolean;
}

/** What the progress bar shows: the phase and its percent (null: the phase is not counted). */
interface Shown {
  phase: ImportProgress['phase'];
  percent: number | null;
  done?: number;
  total?: number;
}

const newProgressId = () => {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return 'ui-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
};

/** Follows a running import: the upload from the browser, then the server's phases. */
function useImportProgress() {
  const [shown, setShown] = useState<Shown | null>(null);
  const timer = useRef<number | null>(null);
  const stop = () => {
    if (timer.current !== null) window.clearInterval(timer.current);
    timer.current = null;
    setShown(null);
  };
  useEffect(() => stop, []);
  const start = (id: string) => {
    setShown({ phase: 'upload', percent: 0 });
    let uploaded = false;
    timer.current = window.setInterval(async () => {
      if (!uploaded) return;
      try {
        const p = await get<ImportProgress>('/imports/progress', { id });
        if (timer.current === null || p.finished) return;
        setShown({ phase: p.phase, percent: p.total > 0 ? Math.min(100, Math.floor((100 * p.done) / p.total)) : null, done: p.done, total: p.total });
      } catch {
        /* not started yet on the server, or a network blip: the next tick asks again */
      }
    }, 400);
    return (loaded: number, total: number) => {
      if (timer.current === null) return;
      if (loaded >= total) uploaded = true;
      setShown({ phase: 'upload', percent: total > 0 ? Math.floor((100 * loaded) / total) : null });
    };
  };
  return { shown, start, stop };
}

const text = (r: unknown) => (typeof r === 'string' ? r : r && typeof r === 'object' && 'message' in r ? String((r as { message: unknown }).message) : JSON.stringify(r));

export default function ImportExport() {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <ImportCard />
      </Col>
      <Col xs={24} xl={10}>
        <ExportCard />
      </Col>
    </Row>
  );
}

function ImportCard() {
  const { t, fmt } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'all_or_nothing' | 'per_row'>('all_or_nothing');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [done, setDone] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const progress = useImportProgress();

  const run = async (dry: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    const id = newProgressId();
    const onUpload = progress.start(id);
    try {
      const r = await postFile<ImportReport>('/imports', file, { dry_run: dry, mode, filename: file.name, progress_id: id }, onUpload);
      if (dry) setPreview(r);
      else {
        setDone(r);
        if (r.applied) message.success(t('import.done', { n: r.imported }));
      }
    } catch (e) {
      setError(e);
    } finally {
      progress.stop();
      setBusy(false);
    }
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setDone(null);
    setError(null);
  };

  const report = done ?? preview;
  return (
    <Card title={<span><CloudUploadOutlined /> {t('data.import')}</span>} data-testid="import-card">
      <Typography.Paragraph type="secondary">{t('data.importHint')}</Typography.Paragraph>
      {done ? (
        <Result
          status={done.applied ? 'success' : 'warning'}
          title={done.applied ? t('import.done', { n: done.imported }) : t('import.rolledBack')}
          subTitle={t('import.counts', { c: done.created, u: done.updated, s: done.unchanged, r: done.rejected })}
          extra={<Button onClick={reset}>{t('import.another')}</Button>}
        />
      ) : (
        <>
          <Upload.Dragger
            accept=".csv,.xlsx,.txt"
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f);
              setPreview(null);
              return false;
            }}
            onRemove={() => reset()}
            fileList={file ? [{ uid: '1', name: file.name, size: file.size, status: 'done' }] : []}
          >
            <p className="ant-upload-drag-icon"><InboxOutlined style={{ color: '#c8281e' }} /></p>
            <p className="ant-upload-text">{t('import.pick')}</p>
            <p className="ant-upload-hint">{t('import.pickHint')}</p>
          </Upload.Dragger>
          <div style={{ marginTop: 12 }}>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)}>
              <Space direction="vertical">
                <Radio value="all_or_nothing">{t('import.allOrNothing')}</Radio>
                <Radio value="per_row">{t('import.perRow')}</Radio>
              </Space>
            </Radio.Group>
          </div>
          <Space style={{ marginTop: 12 }} wrap>
            <Button onClick={() => run(true)} disabled={!file} loading={busy && !preview}>{t('import.preview')}</Button>
            <Button type="primary" onClick={() => run(false)} disabled={!preview || (mode === 'all_or_nothing' && preview.rejected > 0)} loading={busy && !!preview}>
              {t('import.run')}
            </Button>
          </Space>
          {progress.shown && (
            <div data-testid="import-progress" style={{ marginTop: 12 }}>
              <Typography.Text type="secondary">
                {t(`import.phase.${progress.shown.phase}` as Key)}
                {progress.shown.total ? ` · ${fmt.num(progress.shown.done ?? 0)} / ${fmt.num(progress.shown.total)}` : ''}
              </Typography.Text>
              <Progress aria-label={t(`import.phase.${progress.shown.phase}` as Key)} percent={progress.shown.percent ?? 100} status="active" showInfo={progress.shown.percent !== null} strokeColor="#c8281e" />
            </div>
          )}
        </>
      )}
      <ErrorBox error={error} />
      {report && (
        <div style={{ marginTop: 16 }}>
          <Row gutter={8}>
            {(['rows', 'created', 'updated', 'unchanged', 'rejected'] as const).map((k) => (
              <Col xs={8} md={4} key={k}>
                <Statistic title={t(`import.${k}` as Key)} value={report[k]} valueStyle={{ fontSize: 20, color: k === 'rejected' && report[k] ? '#cf1322' : undefined }} />
              </Col>
            ))}
          </Row>
          {report.file && (
            <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 8 }}>
              <Descriptions.Item label={t('import.format')}>{report.file.format.toUpperCase()}</Descriptions.Item>
              <Descriptions.Item label={t('import.encoding')}>{report.file.encoding || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('import.headerRow')}>{fmt.num(report.file.header_row)}</Descriptions.Item>
            </Descriptions>
          )}
          {report.warnings?.map((w, i) => <Alert key={i} type="warning" showIcon message={w} style={{ marginTop: 6 }} />)}
          {report.columns && (
            <div className="tj-scroll-x" style={{ marginTop: 8 }}>
              <Table
                size="small"
                rowKey="column"
                pagination={false}
                dataSource={report.columns}
                scroll={{ x: 'max-content' }}
                columns={[
                  { title: t('import.column'), dataIndex: 'column', width: 70 },
                  { title: t('import.header'), dataIndex: 'header', render: (v) => <span className="tj-break">{v}</span> },
                  { title: t('import.field'), dataIndex: 'field', render: (f: string | null) => (f ? <Tag color="green">{FIELD_LABEL[f] ? t(FIELD_LABEL[f]) : f}</Tag> : <Tag>{t('import.ignored')}</Tag>) },
                ]}
              />
            </div>
          )}
          {report.rejects.length > 0 && (
            <div style={{ marginTop: 12 }}>
              <Typography.Text strong type="danger">{t('import.rejects')}</Typography.Text>
              <ul style={{ paddingLeft: 18, margin: '4px 0' }}>
                {report.rejects.map((r) => (
                  <li key={r.row} className="tj-break" style={{ fontSize: 13 }}>
                    {t('import.row', { n: r.row })}: {r.reasons.map(text).join('；')}
                  </li>
                ))}
              </ul>
              {report.rejects_truncated && <div className="tj-muted">…</div>}
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

function ExportCard() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const errText = useErrText();
  const [kind, setKind] = useState('companies');
  const [format, setFormat] = useState<'csv' | 'xlsx'>('xlsx');
  const [status, setStatus] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      const f = await download(`/exports/${kind}`, { format, status: kind === 'companies' ? status : undefined });
      const url = URL.createObjectURL(f.blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = f.filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      message.success(t('export.done', { n: f.rows ?? 0, file: f.filename }));
    } catch (e) {
      message.error(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={<span><CloudDownloadOutlined /> {t('data.export')}</span>} data-testid="export-card">
      <Typography.Paragraph type="secondary">{t('data.exportHint')}</Typography.Paragraph>
      {(
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            value={kind}
            onChange={setKind}
            aria-label={t('export.kind')}
            style={{ width: '100%' }}
            options={['companies', 'contacts', 'visits', 'deals'].map((k) => ({ value: k, label: t(`export.${k}` as Key) }))}
          />
          {kind === 'companies' && (
            <Select
              allowClear
              placeholder={t('customers.status')}
              aria-label={t('customers.status')}
              value={status}
              onChange={setStatus}
              style={{ width: '100%' }}
              options={COMPANY_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as Key) }))}
            />
          )}
          <Radio.Group value={format} onChange={(e) => setFormat(e.target.value)} optionType="button" options={[{ value: 'xlsx', label: 'Excel (XLSX)' }, { value: 'csv', label: 'CSV' }]} />
          <Button type="primary" icon={<CloudDownloadOutlined />} onClick={go} loading={busy} block>
            {t('export.download')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
