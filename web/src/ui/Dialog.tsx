// Dialogs on the native <dialog> element (showModal: the top layer, a focus trap, Esc to close and
// the page made inert behind it): the kit's Modal, its bottom/top/side sheet (Drawer) and the
// small "are you sure?" of a destructive button (Popconfirm). No antd (see index.tsx).
import { cloneElement, useEffect, useId, useRef, useState, type CSSProperties, type MouseEvent, type ReactElement, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../i18n';

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(' ');

interface BaseProps {
  open: boolean;
  onClose: () => void;
  className?: string;
  labelledBy?: string;
  label?: string;
  role?: 'dialog' | 'alertdialog';
  style?: CSSProperties;
  children: ReactNode;
  testId?: string;
}

/** The native dialog, shown modally while `open`; Esc and a tap on the backdrop call onClose. */
function NativeDialog({ open, onClose, className, labelledBy, label, role, style, children, testId }: BaseProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  if (!open) return null;
  return createPortal(
    <dialog
      ref={ref}
      className={cx('tj-dialog', className)}
      aria-labelledby={labelledBy}
      aria-label={label}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      style={style}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        closeRef.current();
      }}
      onMouseDown={(e) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target !== ref.current) return;
        const r = ref.current.getBoundingClientRect();
        const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
        if (!inside) closeRef.current();
      }}
    >
      {children}
    </dialog>,
    document.body,
  );
}

export function CloseX({ onClick }: { onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="tj-dialog-x" aria-label={t('common.close')} onClick={onClick}>
      ×
    </button>
  );
}

export interface DialogProps {
  open: boolean;
  title?: ReactNode;
  onCancel: () => void;
  onOk?: () => void;
  /** null: no footer; undefined: OK and Cancel. */
  footer?: ReactNode | null;
  okText?: ReactNode;
  cancelText?: ReactNode;
  confirmLoading?: boolean;
  okButtonProps?: { danger?: boolean; disabled?: boolean; 'data-testid'?: string };
  width?: number;
  children?: ReactNode;
  className?: string;
  destroyOnClose?: boolean;
  'data-testid'?: string;
  role?: 'dialog' | 'alertdialog';
}

export function Dialog({ open, title, onCancel, onOk, footer, okText, cancelText, confirmLoading, okButtonProps, width = 520, children, className, role, ...rest }: DialogProps) {
  const { t } = useI18n();
  const id = useId();
  return (
    <NativeDialog open={open} onClose={onCancel} className={cx('tj-modal', className)} labelledBy={title ? id : undefined} role={role} style={{ width: `min(${width}px, calc(100vw - 24px))` }} testId={rest['data-testid']}>
      <div className="tj-modal-head">
        {title && (
          <h2 className="tj-modal-title" id={id}>
            {title}
          </h2>
        )}
        <CloseX onClick={onCancel} />
      </div>
      <div className="tj-modal-body">{children}</div>
      {footer === undefined ? (
        <div className="tj-modal-foot">
          <button type="button" className="tj-btn tj-btn-default" onClick={onCancel}>
            <span>{cancelText ?? t('common.cancel')}</span>
          </button>
          <button
            type="button"
            className={cx('tj-btn', 'tj-btn-primary', okButtonProps?.danger && 'tj-btn-danger')}
            disabled={confirmLoading || okButtonProps?.disabled}
            aria-busy={confirmLoading || undefined}
            onClick={onOk}
            data-testid={okButtonProps?.['data-testid'] ?? 'dialog-ok'}
          >
            {confirmLoading && <span className="tj-spin tj-btn-spin-sm" aria-hidden="true" />}
            <span>{okText ?? t('common.ok')}</span>
          </button>
        </div>
      ) : footer === null ? null : (
        <div className="tj-modal-foot">{footer}</div>
      )}
    </NativeDialog>
  );
}

/** A sheet from an edge of the screen (the phone's "more" menu, the notifications). */
export function Drawer({
  open,
  onClose,
  placement = 'right',
  title,
  children,
  className,
  label,
  styles,
  extra,
}: {
  open: boolean;
  onClose: () => void;
  placement?: 'bottom' | 'top' | 'right' | 'left';
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
  /** The dialog's name when it has no title. */
  label?: string;
  height?: unknown;
  closable?: boolean;
  styles?: { body?: CSSProperties };
  /** Beside the title (an action on the sheet's content). */
  extra?: ReactNode;
}) {
  const id = useId();
  return (
    <NativeDialog open={open} onClose={onClose} className={cx('tj-drawer', `tj-drawer-${placement}`, className)} labelledBy={title ? id : undefined} label={title ? undefined : label}>
      {title && (
        <div className="tj-modal-head">
          <h2 className="tj-modal-title" id={id}>
            {title}
          </h2>
          {extra}
          <CloseX onClick={onClose} />
        </div>
      )}
      <div className="tj-drawer-body" style={styles?.body}>
        {children}
      </div>
    </NativeDialog>
  );
}

/**
 * The confirmation of a button's action: the child (a button) opens a small alert dialog;
 * its OK (data-testid "confirm-ok") runs onConfirm.
 */
export function Popconfirm({
  title,
  description,
  onConfirm,
  okText,
  cancelText,
  disabled,
  okButtonProps,
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  onConfirm: () => void | Promise<unknown>;
  okText?: ReactNode;
  cancelText?: ReactNode;
  disabled?: boolean;
  okButtonProps?: { danger?: boolean };
  children: ReactElement<{ onClick?: (e: MouseEvent<HTMLElement>) => void }>;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const trigger = cloneElement(children, {
    onClick: (e: MouseEvent<HTMLElement>) => {
      e.stopPropagation();
      if (!disabled) setOpen(true);
    },
  });
  return (
    <>
      {trigger}
      <Dialog
        open={open}
        role="alertdialog"
        className="tj-popconfirm"
        width={360}
        title={title}
        onCancel={() => setOpen(false)}
        okText={okText}
        cancelText={cancelText}
        confirmLoading={busy}
        okButtonProps={{ danger: okButtonProps?.danger, 'data-testid': 'confirm-ok' }}
        onOk={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setOpen(false);
          }
        }}
      >
        {description}
      </Dialog>
    </>
  );
}
