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
const popover = typeof HTMLElement !== 'undefined' && 'showPopover' in HTMLElement.prototype;
function host(): HTMLElement {
  if (region && document.body.contains(region)) return region;
  region = document.createElement('div');
  region.className = 'tj-toasts';
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  // A manual popover: shown, it sits in the top layer above an open modal dialog (the action
  // that says "saved" often closes the dialog it ran from, and must not take the message along).
  if (popover) region.setAttribute('popover', 'manual');
  document.body.appendChild(region);
  return region;
}

function show(kind: Kind, text: string, seconds = 3) {
  const r = host();
  const el = document.createElement('div');
  el.className = `tj-toast tj-toast-${kind}`;
  el.textContent = text;
  el.dataset.kind = kind;
  r.appendChild(el);
  if (popover) {
    // Shown again, it goes on top of whatever entered the top layer since.
    if (r.matches(':popover-open')) r.hidePopover();
    r.showPopover();
  }
  window.setTimeout(() => {
    el.remove();
    if (popover && !r.childElementCount && r.matches(':popover-open')) r.hidePopover();
  }, seconds * 1000);
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
