import { Card, Col, Row, Typography } from 'antd';
import { CloudDownloadOutlined, CloudUploadOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n';

// The web upload and download arrive with the import/export feature; until then
// this page says so and shows the command-line equivalents, which exist.
export default function ImportExport() {
  const { t } = useI18n();
  return (
    <Row gutter={[16, 16]}>
      {(
        [
          ['import', <CloudUploadOutlined key="i" />, 'tiejun import companies FILE.xlsx --db sqlite:tiejun.db'],
          ['export', <CloudDownloadOutlined key="e" />, 'tiejun export companies --format xlsx --out companies.xlsx --db sqlite:tiejun.db'],
        ] as const
      ).map(([k, icon, cmd]) => (
        <Col xs={24} lg={12} key={k}>
          <Card>
            <div style={{ fontSize: 36, color: '#c8281e' }}>{icon}</div>
            <Typography.Title level={4}>{t(k === 'import' ? 'data.import' : 'data.export')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t(k === 'import' ? 'data.importHint' : 'data.exportHint')}</Typography.Paragraph>
            <Typography.Paragraph type="warning">{t('data.soon')}</Typography.Paragraph>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('data.cli')}</Typography.Text>
            <pre style={{ background: '#1d0a0a', color: '#ffd8bf', padding: 12, borderRadius: 10, overflowX: 'auto', fontSize: 12 }}>{cmd}</pre>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
