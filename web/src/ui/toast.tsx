// Short messages ("saved", an error) in a polite live region at the top of the screen, and the
// one-button notice dialogs (a refused claim, a stale edit), callable from anywhere: the kit's
// answer to antd's message and modal.warning (see index.tsx). No antd.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { I18nProvider, useI18n } from '../i18n';

function OkText() {
  const { t } = useI18n();
  return <span>{t('common.ok')}</span>;
}

type Kind = 'success' | 'error' | 'info' | 'warning';

let region: HTMLElement | null = null;
function host(): HTMLElement {
  if (region && document.body.contains(region)) return region;
  region = document.createElement('div');
  region.className = 'tj-toasts';
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  document.body.appendChild(region);
  return region;
}

function show(kind: Kind, text: string, seconds = 3) {
  const el = document.createElement('div');
  el.className = `tj-toast tj-toast-${kind}`;
  el.textContent = text;
  el.dataset.kind = kind;
  // An open modal dialog sits in the top layer: its own copy of the region keeps the message visible.
  const top = document.querySelector('dialog[open]');
  const parent = top ?? host();
  if (top) {
    let r = top.querySelector<HTMLElement>(':scope > .tj-toasts');
    if (!r) {
      r = document.createElement('div');
      r.className = 'tj-toasts';
      r.setAttribute('role', 'status');
      top.appendChild(r);
    }
    r.appendChild(el);
  } else parent.appendChild(el);
  window.setTimeout(() => el.remove(), seconds * 1000);
}

export const toast = {
  success: (text: string) => show('success', text),
  error: (text: string) => show('error', text, 5),
  info: (text: string) => show('info', text),
  warning: (text: string) => show('warning', text, 5),
};

/** A notice with one OK button (a refused claim, a stale edit); resolves when it is closed. */
export function showDialog({ type = 'info', title, content }: { type?: Kind; title: ReactNode; content?: ReactNode }): Promise<void> {
  return new Promise((resolve) => {
    const div = document.createElement('div');
    document.body.appendChild(div);
    const root = createRoot(div);
    function Notice() {
      const [open, setOpen] = useState(true);
      const close = () => {
        setOpen(false);
        setTimeout(() => {
          root.unmount();
          div.remove();
          resolve();
        });
      };
      return (
        <Dialog open={open} role="alertdialog" className={`tj-notice tj-notice-${type}`} title={title} onCancel={close} footer={
          <button type="button" className="tj-btn tj-btn-primary" onClick={close} data-testid="notice-ok" autoFocus>
            <OkText />
          </button>
        } width={416}>
          {content}
        </Dialog>
      );
    }
    root.render(
      <I18nProvider>
        <Notice />
      </I18nProvider>,
    );
  });
}
