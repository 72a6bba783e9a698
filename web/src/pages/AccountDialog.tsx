// The account dialog of the user menu (password, API tokens): antd's Modal around the account
// page, loaded with antd (lazyAntd) when first opened. It is antd's own dialog, not the kit's:
// the page's popups (the token revoke's confirmation) portal to the body, which a native modal
// <dialog> in the top layer would cover.
import { Modal, Skeleton } from 'antd';
import { Suspense, lazy } from 'react';
import { useI18n } from '../i18n';

const Account = lazy(() => import('./Account'));

export default function AccountDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal open onCancel={onClose} footer={null} title={t('nav.account')} destroyOnClose width={560}>
      <Suspense fallback={<Skeleton active />}>
        <Account />
      </Suspense>
    </Modal>
  );
}
