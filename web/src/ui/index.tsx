// Tiejun's light UI kit: the components the first screens draw (cards, tags, buttons, tables,
// lists, rings and bars, tabs, native selects and inputs), in plain markup styled by ui.css.
//
// Contract:
//  - The props are a subset of antd's of the same name, so a page reads the same whichever it
//    uses; a prop not listed in a component's type is not supported.
//  - Nothing here imports antd: a page built from this kit downloads React and its own code
//    before its first screen, not antd's core (issue 15: Lighthouse ≥ 90 on a phone). antd is
//    loaded only where a page opens a form or a picker that needs it (antdRoot.tsx).
//  - Every control is a native element (button, select, input, details) or carries the ARIA
//    role of one, with a name: axe-core runs on every page in the browser tests.
import {
  Children,
  cloneElement,
  isValidElement,
  useId,
  useState,
  type CSSProperties,
  type HTMLAttributes,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from 'react';
import './ui.css';

export { Dialog as Modal, Drawer, Popconfirm } from './Dialog';
export { toast, showDialog } from './toast';
export { CloseX } from './Dialog';

const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(' ');
type Rest = Omit<HTMLAttributes<HTMLElement>, 'title' | 'onChange' | 'prefix' | 'color'> & { [k: `data-${string}`]: unknown };

/* ---------------------------------------------------------------- Button */

export interface ButtonProps extends Rest {
  type?: 'primary' | 'default' | 'text' | 'link' | 'dashed';
  size?: 'small' | 'middle' | 'large';
  icon?: ReactNode;
  loading?: boolean;
  disabled?: boolean;
  danger?: boolean;
  ghost?: boolean;
  block?: boolean;
  htmlType?: 'button' | 'submit';
  href?: string;
  target?: string;
  title?: string;
  onClick?: (e: MouseEvent<HTMLElement>) => void;
}

export function Button({ type = 'default', size, icon, loading, disabled, danger, ghost, block, htmlType = 'button', href, target, className, children, onClick, ...rest }: ButtonProps) {
  const cls = cx('tj-btn', `tj-btn-${type}`, size === 'small' && 'tj-btn-sm', size === 'large' && 'tj-btn-lg', danger && 'tj-btn-danger', ghost && 'tj-btn-ghost', block && 'tj-btn-block', !children && 'tj-btn-icon-only', className);
  const inner = (
    <>
      {loading ? <span className="tj-spin tj-btn-spin-sm" aria-hidden="true" /> : icon}
      {children !== undefined && children !== null && <span>{children}</span>}
    </>
  );
  if (href)
    return (
      <a className={cls} href={href} target={target} onClick={onClick} {...(rest as HTMLAttributes<HTMLAnchorElement>)}>
        {inner}
      </a>
    );
  return (
    <button type={htmlType} className={cls} disabled={disabled || loading} aria-busy={loading || undefined} onClick={onClick} {...(rest as HTMLAttributes<HTMLButtonElement>)}>
      {inner}
    </button>
  );
}

/* ---------------------------------------------------------------- Card */

export interface CardProps extends Rest {
  title?: ReactNode;
  extra?: ReactNode;
  size?: 'small' | 'default';
  styles?: { body?: CSSProperties; header?: CSSProperties };
}

export function Card({ title, extra, size, styles, className, children, ...rest }: CardProps) {
  return (
    <section className={cx('tj-card', size === 'small' && 'tj-card-sm', className)} {...rest}>
      {(title || extra) && (
        <div className="tj-card-head" style={styles?.header}>
          <div className="tj-card-title">{title}</div>
          {extra && <div className="tj-card-extra">{extra}</div>}
        </div>
      )}
      <div className="tj-card-body" style={styles?.body}>
        {children}
      </div>
    </section>
  );
}

/* ---------------------------------------------------------------- Tag */

const PRESET = new Set(['default', 'blue', 'volcano', 'green', 'gold', 'red', 'orange', 'purple', 'cyan', 'magenta', 'geekblue', 'lime', 'success', 'warning', 'error', 'processing']);

export function Tag({ color, icon, className, style, children, ...rest }: Rest & { color?: string; icon?: ReactNode }) {
  const preset = !color || PRESET.has(color);
  return (
    <span className={cx('tj-tag', preset && color && `tj-tag-${color}`, className)} style={preset ? style : { background: color, borderColor: color, color: '#fff', ...style }} {...rest}>
      {icon}
      {children}
    </span>
  );
}

/* ---------------------------------------------------------------- Grid */

type Gutter = number | [number, number];

export function Row({ gutter = 0, align, justify, wrap = true, className, style, children, ...rest }: Rest & { gutter?: Gutter; align?: 'top' | 'middle' | 'bottom' | 'stretch'; justify?: 'start' | 'end' | 'center' | 'space-between' | 'space-around'; wrap?: boolean }) {
  const [h, v] = Array.isArray(gutter) ? gutter : [gutter, 0];
  const s = {
    '--g': `${h}px`,
    rowGap: v,
    columnGap: h,
    alignItems: align === 'middle' ? 'center' : align === 'bottom' ? 'flex-end' : align === 'top' ? 'flex-start' : undefined,
    justifyContent: justify === 'start' ? 'flex-start' : justify === 'end' ? 'flex-end' : justify,
    flexWrap: wrap ? 'wrap' : 'nowrap',
    ...style,
  } as CSSProperties;
  return (
    <div className={cx('tj-row', className)} style={s} {...rest}>
      {children}
    </div>
  );
}

type Span = number | undefined;
export function Col({ span, xs, sm, md, lg, xl, flex, className, style, children, ...rest }: Rest & { span?: Span; xs?: Span; sm?: Span; md?: Span; lg?: Span; xl?: Span; flex?: string | number }) {
  const spans = { '--xs': xs ?? span, '--sm': sm, '--md': md, '--lg': lg, '--xl': xl };
  const sized = Object.values(spans).some((n) => n !== undefined);
  const s: Record<string, unknown> = { ...style };
  for (const [k, n] of Object.entries(spans)) if (n !== undefined) s[k] = n;
  if (flex !== undefined) s.flex = typeof flex === 'number' ? `${flex} ${flex} auto` : /^\d+$/.test(flex) ? `${flex} ${flex} auto` : flex;
  return (
    <div className={cx('tj-col', sized && flex === undefined && 'tj-col-sized', className)} style={s as CSSProperties} {...rest}>
      {children}
    </div>
  );
}

export function Space({ direction = 'horizontal', size = 8, wrap, align, className, style, children, ...rest }: Rest & { direction?: 'horizontal' | 'vertical'; size?: number | [number, number] | 'small' | 'middle' | 'large'; wrap?: boolean; align?: 'start' | 'end' | 'center' | 'baseline' }) {
  const gap = size === 'small' ? 8 : size === 'middle' ? 16 : size === 'large' ? 24 : Array.isArray(size) ? `${size[1]}px ${size[0]}px` : size;
  return (
    <div
      className={cx('tj-space', className)}
      style={{
        flexDirection: direction === 'vertical' ? 'column' : 'row',
        gap,
        flexWrap: wrap ? 'wrap' : undefined,
        alignItems: align === 'start' ? 'flex-start' : align === 'end' ? 'flex-end' : align ?? (direction === 'vertical' ? 'stretch' : 'center'),
        ...style,
      }}
      {...rest}
    >
      {/* Each child in its own box, as antd's Space: an inline child (a tag) keeps its width. */}
      {Children.toArray(children).map((c, i) => (
        <div className="tj-space-item" key={isValidElement(c) && c.key !== null ? c.key : i}>
          {c}
        </div>
      ))}
    </div>
  );
}

/* ---------------------------------------------------------------- Feedback */

export function Empty({ description, className, style, ...rest }: Rest & { description?: ReactNode; image?: unknown }) {
  return (
    <div className={cx('tj-empty', className)} style={style} {...rest}>
      <svg width="56" height="36" viewBox="0 0 64 41" aria-hidden="true">
        <g fill="none" fillRule="evenodd" transform="translate(0 1)">
          <ellipse fill="#f5f5f5" cx="32" cy="33" rx="32" ry="7" />
          <g fillRule="nonzero" stroke="#d9d9d9">
            <path d="M55 12.76L44.854 1.258C44.367.474 43.656 0 42.907 0H21.093c-.749 0-1.46.474-1.947 1.257L9 12.761V22h46v-9.24z" />
            <path d="M41.613 15.931c0-1.605.994-2.93 2.227-2.931H55v18.137C55 33.26 53.68 35 52.05 35h-40.1C10.32 35 9 33.259 9 31.137V13h11.16c1.233 0 2.227 1.323 2.227 2.928v.022c0 1.605 1.005 2.901 2.237 2.901h14.752c1.232 0 2.237-1.308 2.237-2.913v-.007z" fill="#fafafa" />
          </g>
        </g>
      </svg>
      {description !== null && <div className="tj-empty-text">{description ?? '—'}</div>}
    </div>
  );
}
Empty.PRESENTED_IMAGE_SIMPLE = null as unknown;

export function Skeleton({ paragraph, title = true, className, style }: { active?: boolean; paragraph?: { rows?: number } | boolean; title?: boolean; className?: string; style?: CSSProperties }) {
  const rows = paragraph === false ? 0 : typeof paragraph === 'object' && paragraph.rows !== undefined ? paragraph.rows : 3;
  return (
    <div className={cx('tj-skeleton', className)} style={style} aria-hidden="true">
      {title && <div className="tj-sk-bar tj-sk-title" />}
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="tj-sk-bar" style={i === rows - 1 && rows > 1 ? { width: '61%' } : undefined} />
      ))}
    </div>
  );
}
Skeleton.Node = function SkeletonNode({ style }: { active?: boolean; style?: CSSProperties; children?: ReactNode }) {
  return <div className="tj-skeleton tj-sk-node" style={style} aria-hidden="true" />;
};

export function Spin({ size }: { size?: 'small' | 'large' }) {
  return <span className={cx('tj-spin', size === 'small' && 'tj-btn-spin-sm')} role="status" aria-label="…" />;
}

export function Alert({ type = 'info', message, description, showIcon, action, className, style, ...rest }: Rest & { type?: 'info' | 'success' | 'warning' | 'error'; message: ReactNode; description?: ReactNode; showIcon?: boolean; action?: ReactNode; banner?: boolean; closable?: boolean }) {
  return (
    <div className={cx('tj-alert', `tj-alert-${type}`, className)} role={type === 'error' || type === 'warning' ? 'alert' : 'status'} style={style} {...rest}>
      {showIcon && <span className="tj-alert-icon" aria-hidden="true">{type === 'error' ? '⊗' : type === 'warning' ? '!' : type === 'success' ? '✓' : 'i'}</span>}
      <div className="tj-alert-main">
        <div className={description ? 'tj-alert-title' : undefined}>{message}</div>
        {description && <div>{description}</div>}
      </div>
      {action}
    </div>
  );
}

/* ---------------------------------------------------------------- Data display */

export function Statistic({ title, value, suffix, prefix, precision, valueStyle, formatter, className, style, ...rest }: Rest & { title?: ReactNode; value?: ReactNode; suffix?: ReactNode; prefix?: ReactNode; precision?: number; valueStyle?: CSSProperties; formatter?: (v: ReactNode) => ReactNode }) {
  const shown = formatter ? formatter(value) : typeof value === 'number' && precision !== undefined ? value.toFixed(precision) : typeof value === 'number' ? value.toLocaleString('en-US') : value;
  return (
    <div className={cx('tj-statistic', className)} style={style} {...rest}>
      {title !== undefined && <div className="tj-statistic-title">{title}</div>}
      <div className="tj-statistic-content" style={valueStyle}>
        {prefix && <span className="tj-statistic-prefix">{prefix}</span>}
        <span className="tj-statistic-value">{shown}</span>
        {suffix && <span className="tj-statistic-suffix">{suffix}</span>}
      </div>
    </div>
  );
}

type Stroke = string | { '0%': string; '100%': string } | Record<string, string>;
const strokeCss = (s: Stroke | undefined, fallback: string) =>
  !s ? fallback : typeof s === 'string' ? s : `linear-gradient(to right, ${Object.entries(s).map(([k, c]) => `${c} ${k}`).join(', ')})`;

export function Progress({
  percent = 0,
  success,
  strokeColor,
  showInfo = true,
  size,
  type = 'line',
  format,
  status,
  strokeWidth,
  className,
  style,
  ...rest
}: Rest & {
  percent?: number;
  success?: { percent?: number; strokeColor?: string };
  strokeColor?: Stroke;
  showInfo?: boolean;
  size?: 'small' | 'default' | number;
  type?: 'line' | 'circle';
  format?: (p: number) => ReactNode;
  status?: 'success' | 'exception' | 'normal' | 'active';
  strokeWidth?: number;
}) {
  const gid = useId().replace(/:/g, '');
  const pct = Math.max(0, Math.min(100, Math.round(percent)));
  const aria = { role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100 };
  const base = status === 'exception' ? '#cf1322' : status === 'success' || pct >= 100 ? '#52c41a' : '#c8281e';
  const info = format ? format(pct) : `${pct}%`;
  if (type === 'circle') {
    const d = typeof size === 'number' ? size : 120;
    const w = strokeWidth ?? 6;
    const r = 50 - w / 2;
    const len = 2 * Math.PI * r;
    const grad = strokeColor && typeof strokeColor === 'object';
    return (
      <div className={cx('tj-progress-circle', className)} style={{ width: d, height: d, fontSize: Math.max(12, d * 0.18), ...style }} {...aria} {...rest}>
        <svg viewBox="0 0 100 100" width={d} height={d} aria-hidden="true">
          {grad && (
            <defs>
              <linearGradient id={gid} x1="100%" y1="0%" x2="0%" y2="0%">
                {Object.entries(strokeColor as Record<string, string>).map(([k, c]) => (
                  <stop key={k} offset={k} stopColor={c} />
                ))}
              </linearGradient>
            </defs>
          )}
          <circle cx="50" cy="50" r={r} fill="none" stroke="rgba(0,0,0,0.06)" strokeWidth={w} />
          {pct > 0 && (
            <circle
              cx="50"
              cy="50"
              r={r}
              fill="none"
              stroke={grad ? `url(#${gid})` : (strokeColor as string) ?? base}
              strokeWidth={w}
              strokeLinecap="round"
              strokeDasharray={`${(len * pct) / 100} ${len}`}
              transform="rotate(-90 50 50)"
            />
          )}
        </svg>
        {showInfo && <span className="tj-progress-circle-text">{info}</span>}
      </div>
    );
  }
  const h = strokeWidth ?? (size === 'small' ? 6 : 8);
  const ok = success?.percent !== undefined ? Math.max(0, Math.min(100, success.percent)) : undefined;
  return (
    <div className={cx('tj-progress', className)} style={style} {...aria} {...rest}>
      <div className="tj-progress-track" style={{ height: h }}>
        <div className="tj-progress-bar" style={{ width: `${pct}%`, background: strokeCss(strokeColor, base) }} />
        {ok !== undefined && <div className="tj-progress-mark" style={{ left: `${ok}%`, background: success?.strokeColor ?? 'rgba(0,0,0,0.25)' }} />}
      </div>
      {showInfo && <span className="tj-progress-text">{info}</span>}
    </div>
  );
}

export function Avatar({ size = 32, icon, src, shape, style, className, children, ...rest }: Rest & { size?: number | 'small' | 'default' | 'large'; icon?: ReactNode; src?: string; shape?: 'circle' | 'square' }) {
  const d = size === 'small' ? 24 : size === 'large' ? 40 : size === 'default' ? 32 : size;
  return (
    <span className={cx('tj-avatar', shape === 'square' && 'tj-avatar-square', className)} style={{ width: d, height: d, lineHeight: `${d}px`, fontSize: icon ? d / 2 : Math.max(12, d * 0.45), ...style }} {...rest}>
      {src ? <img src={src} alt="" /> : icon ?? children}
    </span>
  );
}

export function Badge({ count, dot, overflowCount = 99, showZero, status, text, color, children, className, style, ...rest }: Rest & { count?: ReactNode; dot?: boolean; overflowCount?: number; showZero?: boolean; status?: 'success' | 'warning' | 'error' | 'default' | 'processing'; text?: ReactNode; color?: string; size?: 'small' | 'default'; offset?: [number, number] }) {
  if (status) {
    return (
      <span className={cx('tj-badge-status', className)} style={style} {...rest}>
        <span className={cx('tj-badge-dot', `tj-badge-${status}`)} style={color ? { background: color } : undefined} />
        {text}
      </span>
    );
  }
  const n = typeof count === 'number' ? count : undefined;
  const show = dot || (n !== undefined ? n > 0 || showZero : count !== undefined && count !== null);
  return (
    <span className={cx('tj-badge', className)} style={style} {...rest}>
      {children}
      {show && (dot ? <sup className="tj-badge-count tj-badge-dotted" /> : <sup className="tj-badge-count">{n !== undefined && n > overflowCount ? `${overflowCount}+` : count}</sup>)}
    </span>
  );
}

/* ---------------------------------------------------------------- Typography */

type TextType = 'secondary' | 'danger' | 'success' | 'warning';
function Text({ type, strong, className, children, ...rest }: Rest & { type?: TextType; strong?: boolean; ellipsis?: unknown }) {
  return (
    <span className={cx(type && `tj-text-${type}`, className)} {...rest}>
      {strong ? <strong>{children}</strong> : children}
    </span>
  );
}
function Title({ level = 1, className, children, ...rest }: Rest & { level?: 1 | 2 | 3 | 4 | 5 }) {
  const H = `h${level}` as 'h1';
  return (
    <H className={cx('tj-title', `tj-title-${level}`, className)} {...rest}>
      {children}
    </H>
  );
}
function Paragraph({ type, strong, className, children, ...rest }: Rest & { type?: TextType; strong?: boolean }) {
  return (
    <p className={cx('tj-para', type && `tj-text-${type}`, className)} {...rest}>
      {strong ? <strong>{children}</strong> : children}
    </p>
  );
}
function Link({ strong, className, children, onClick, href, ...rest }: Rest & { strong?: boolean; href?: string; onClick?: (e: MouseEvent<HTMLElement>) => void }) {
  if (href)
    return (
      <a className={cx('tj-link', className)} href={href} onClick={onClick} {...(rest as HTMLAttributes<HTMLAnchorElement>)}>
        {strong ? <strong>{children}</strong> : children}
      </a>
    );
  return (
    <button type="button" className={cx('tj-link', className)} onClick={onClick} {...(rest as HTMLAttributes<HTMLButtonElement>)}>
      {strong ? <strong>{children}</strong> : children}
    </button>
  );
}
export const Typography = { Text, Title, Paragraph, Link };

/* ---------------------------------------------------------------- Table */

export interface Column<T> {
  title?: ReactNode;
  dataIndex?: string | string[];
  key?: string;
  render?: (value: any, record: T, index: number) => ReactNode;
  align?: 'left' | 'right' | 'center';
  width?: number | string;
  className?: string;
  fixed?: 'left' | 'right' | boolean;
  ellipsis?: boolean;
  responsive?: unknown;
  onCell?: (record: T) => HTMLAttributes<HTMLElement>;
}
export type ColumnsType<T> = Column<T>[];

const pick = (r: any, idx?: string | string[]) => (idx === undefined ? undefined : Array.isArray(idx) ? idx.reduce((o, k) => o?.[k], r) : r?.[idx]);

export function Table<T>({
  columns,
  dataSource,
  rowKey = 'key',
  size,
  onRow,
  rowClassName,
  loading,
  locale,
  className,
  style,
  caption,
  ...rest
}: Omit<Rest, 'onClick'> & {
  columns: Column<T>[];
  dataSource?: readonly T[];
  rowKey?: string | ((r: T) => string | number);
  size?: 'small' | 'middle' | 'large';
  onRow?: (r: T, i: number) => HTMLAttributes<HTMLElement> & { [k: `data-${string}`]: unknown };
  rowClassName?: (r: T, i: number) => string;
  loading?: boolean;
  locale?: { emptyText?: ReactNode };
  pagination?: false;
  scroll?: unknown;
  caption?: ReactNode;
}) {
  const rows = dataSource ?? [];
  return (
    <div className={cx('tj-table-wrap', size === 'small' && 'tj-table-sm', size === 'middle' && 'tj-table-md', className)} style={style} tabIndex={0} {...rest}>
      <table className="tj-table">
        {caption && <caption className="tj-sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={c.key ?? String(c.dataIndex ?? i)} scope="col" style={{ textAlign: c.align, width: c.width }} className={c.className}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {loading && !rows.length ? (
            <tr>
              <td colSpan={columns.length}>
                <Skeleton paragraph={{ rows: 2 }} />
              </td>
            </tr>
          ) : !rows.length ? (
            <tr>
              <td colSpan={columns.length}>{locale?.emptyText ?? <Empty />}</td>
            </tr>
          ) : (
            rows.map((r, i) => {
              const k = typeof rowKey === 'function' ? rowKey(r) : (r as any)[rowKey] ?? i;
              const rp = onRow?.(r, i) ?? {};
              return (
                <tr key={k} {...(rp as HTMLAttributes<HTMLTableRowElement>)} className={cx(rowClassName?.(r, i), (rp as { className?: string }).className)}>
                  {columns.map((c, j) => {
                    const v = pick(r, c.dataIndex);
                    return (
                      <td key={c.key ?? String(c.dataIndex ?? j)} style={{ textAlign: c.align }} className={c.className} {...(c.onCell?.(r) as HTMLAttributes<HTMLTableCellElement>)}>
                        {c.render ? c.render(v, r, i) : (v as ReactNode)}
                      </td>
                    );
                  })}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

/* ---------------------------------------------------------------- List */

function ListItem({ actions, extra, className, children, ...rest }: Rest & { actions?: ReactNode[]; extra?: ReactNode }) {
  return (
    <li className={cx('tj-list-item', className)} {...rest}>
      <div className="tj-list-item-main">
        {children}
        {actions && actions.length > 0 && (
          <ul className="tj-list-item-actions">
            {actions.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        )}
      </div>
      {extra && <div className="tj-list-item-extra">{extra}</div>}
    </li>
  );
}
function ListItemMeta({ avatar, title, description, className, ...rest }: Rest & { avatar?: ReactNode; title?: ReactNode; description?: ReactNode }) {
  return (
    <div className={cx('tj-list-meta', className)} {...rest}>
      {avatar && <div className="tj-list-meta-avatar">{avatar}</div>}
      <div className="tj-list-meta-content">
        {title && <div className="tj-list-meta-title">{title}</div>}
        {description && <div className="tj-list-meta-desc">{description}</div>}
      </div>
    </div>
  );
}
ListItem.Meta = ListItemMeta;

export function List<T>({ dataSource, renderItem, loading, locale, split = true, size, header, footer, className, style, ...rest }: Rest & { dataSource?: readonly T[]; renderItem: (item: T, i: number) => ReactNode; loading?: boolean; locale?: { emptyText?: ReactNode }; split?: boolean; size?: 'small' | 'default' | 'large'; header?: ReactNode; footer?: ReactNode; itemLayout?: string; rowKey?: unknown }) {
  const items = dataSource ?? [];
  return (
    <div className={cx('tj-list', split && 'tj-list-split', size === 'small' && 'tj-list-sm', className)} style={style} {...rest}>
      {header && <div className="tj-list-header">{header}</div>}
      {loading && !items.length ? <Skeleton /> : !items.length ? locale?.emptyText ?? <Empty /> : <ul>{items.map((it, i) => withKey(renderItem(it, i), i))}</ul>}
      {footer && <div className="tj-list-footer">{footer}</div>}
    </div>
  );
}
List.Item = ListItem;
const withKey = (n: ReactNode, i: number) => (isValidElement(n) && n.key === null ? cloneElement(n as ReactElement, { key: i }) : n);

/* ---------------------------------------------------------------- Choices */

export type Option<V> = { value: V; label: ReactNode; disabled?: boolean; title?: string };

export function Segmented<V extends string | number>({ options, value, onChange, size, block, className, style, 'aria-label': ariaLabel, ...rest }: Omit<Rest, 'onChange'> & { options: (V | Option<V>)[]; value?: V; onChange?: (v: V) => void; size?: 'small' | 'middle' | 'large'; block?: boolean }) {
  const opts = options.map((o) => (typeof o === 'object' ? o : { value: o, label: String(o) })) as Option<V>[];
  return (
    <div role="radiogroup" aria-label={ariaLabel} className={cx('tj-segmented', size === 'small' && 'tj-segmented-sm', size === 'large' && 'tj-segmented-lg', block && 'tj-segmented-block', className)} style={style} {...rest}>
      {opts.map((o) => (
        <button
          type="button"
          role="radio"
          aria-checked={o.value === value}
          key={String(o.value)}
          disabled={o.disabled}
          title={o.title}
          className={cx('tj-segmented-item', o.value === value && 'on')}
          onClick={() => o.value !== value && onChange?.(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/**
 * A native select (the phone's own picker). `allowClear` or `placeholder` add an empty first
 * choice, which answers `undefined`. Values keep their type (numbers stay numbers).
 */
export function Select<V extends string | number>({
  options,
  value,
  onChange,
  placeholder,
  allowClear,
  size,
  disabled,
  className,
  style,
  id,
  ...rest
}: Omit<Rest, 'onChange' | 'placeholder'> & {
  options: { value: V; label: ReactNode; disabled?: boolean }[];
  value?: V | null;
  onChange?: (v: V | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  size?: 'small' | 'middle' | 'large';
  disabled?: boolean;
  id?: string;
  showSearch?: boolean;
  optionFilterProp?: string;
  loading?: boolean;
  popupMatchSelectWidth?: boolean;
}) {
  const i = options.findIndex((o) => o.value === value);
  const empty = allowClear || placeholder !== undefined || i < 0;
  return (
    <span className={cx('tj-select', size === 'large' && 'tj-select-lg', size === 'small' && 'tj-select-sm', className)} style={style}>
      <select
        id={id}
        value={i < 0 ? '' : String(i)}
        disabled={disabled}
        onChange={(e) => onChange?.(e.target.value === '' ? undefined : options[Number(e.target.value)].value)}
        {...(rest as HTMLAttributes<HTMLSelectElement>)}
      >
        {empty && (
          <option value="" disabled={!allowClear && i >= 0}>
            {placeholder ?? ''}
          </option>
        )}
        {options.map((o, k) => (
          <option key={String(o.value)} value={String(k)} disabled={o.disabled}>
            {typeof o.label === 'string' || typeof o.label === 'number' ? o.label : String(o.value)}
          </option>
        ))}
      </select>
    </span>
  );
}

/* ---------------------------------------------------------------- Inputs */

type InputProps = Omit<Rest, 'onChange' | 'prefix'> & {
  value?: string;
  onChange?: (e: { target: { value: string } }) => void;
  placeholder?: string;
  allowClear?: boolean;
  prefix?: ReactNode;
  suffix?: ReactNode;
  size?: 'small' | 'middle' | 'large';
  maxLength?: number;
  type?: string;
  inputMode?: 'text' | 'numeric' | 'tel' | 'search' | 'email' | 'decimal' | 'url';
  disabled?: boolean;
  autoComplete?: string;
  enterKeyHint?: 'search' | 'done' | 'go' | 'next' | 'send';
  onPressEnter?: () => void;
  id?: string;
  name?: string;
};

export function Input({ value, onChange, allowClear, prefix, suffix, size, className, style, onPressEnter, type = 'text', ...rest }: InputProps) {
  return (
    <span className={cx('tj-input', size === 'large' && 'tj-input-lg', size === 'small' && 'tj-input-sm', className)} style={style}>
      {prefix && <span className="tj-input-affix">{prefix}</span>}
      <input
        type={type}
        value={value ?? ''}
        onChange={(e) => onChange?.({ target: { value: e.target.value } })}
        onKeyDown={onPressEnter ? (e) => e.key === 'Enter' && !e.nativeEvent.isComposing && onPressEnter() : undefined}
        {...(rest as HTMLAttributes<HTMLInputElement>)}
      />
      {allowClear && value ? (
        <button type="button" className="tj-input-clear" aria-label="×" tabIndex={-1} onClick={() => onChange?.({ target: { value: '' } })}>
          ×
        </button>
      ) : null}
      {suffix && <span className="tj-input-affix">{suffix}</span>}
    </span>
  );
}

export function TextArea({ value, onChange, className, rows = 2, ...rest }: Omit<Rest, 'onChange'> & { value?: string; onChange?: (e: { target: { value: string } }) => void; rows?: number; maxLength?: number; placeholder?: string; id?: string; disabled?: boolean }) {
  return <textarea className={cx('tj-textarea', className)} rows={rows} value={value ?? ''} onChange={(e) => onChange?.({ target: { value: e.target.value } })} {...(rest as HTMLAttributes<HTMLTextAreaElement>)} />;
}
Input.TextArea = TextArea;

/** A whole-number field: answers a number, or null when blank. */
export function InputNumber({ value, onChange, min, max, size, className, style, ...rest }: Omit<Rest, 'onChange'> & { value?: number | null; onChange?: (v: number | null) => void; min?: number; max?: number; size?: 'small' | 'middle' | 'large'; id?: string; placeholder?: string; disabled?: boolean; inputMode?: 'numeric' | 'decimal'; step?: number }) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? (value === null || value === undefined ? '' : String(value));
  return (
    <span className={cx('tj-input', size === 'large' && 'tj-input-lg', className)} style={style}>
      <input
        type="text"
        inputMode="numeric"
        value={shown}
        onChange={(e) => {
          const s = e.target.value.replace(/[^\d.-]/g, '');
          setText(s);
          if (s === '') onChange?.(null);
          else {
            const n = Number(s);
            if (Number.isFinite(n)) onChange?.(n);
          }
        }}
        onBlur={() => {
          if (text !== null && text !== '') {
            let n = Number(text);
            if (Number.isFinite(n)) {
              if (min !== undefined) n = Math.max(min, n);
              if (max !== undefined) n = Math.min(max, n);
              onChange?.(n);
            }
          }
          setText(null);
        }}
        {...(rest as HTMLAttributes<HTMLInputElement>)}
      />
    </span>
  );
}

/** A labelled form field: the label names the control (its `id`), `extra` is a hint below. */
export function Field({ label, extra, error, htmlFor, children, className }: { label?: ReactNode; extra?: ReactNode; error?: ReactNode; htmlFor?: string; children: ReactNode; className?: string }) {
  return (
    <div className={cx('tj-form-item', error ? 'tj-form-item-bad' : undefined, className)}>
      {label && (
        <label className="tj-form-label" htmlFor={htmlFor}>
          {label}
        </label>
      )}
      {children}
      {error && <div className="tj-form-error" role="alert">{error}</div>}
      {extra && <div className="tj-form-extra">{extra}</div>}
    </div>
  );
}

/* ---------------------------------------------------------------- Navigation-like */

export interface TabItem {
  key: string;
  label: ReactNode;
  children?: ReactNode;
  disabled?: boolean;
}

/** Tabs: a tablist of buttons (arrow keys move between them) and the active tab's panel. */
export function Tabs({ items, activeKey, defaultActiveKey, onChange, size, className, style, ...rest }: Omit<Rest, 'onChange'> & { items: TabItem[]; activeKey?: string; defaultActiveKey?: string; onChange?: (k: string) => void; size?: 'small' | 'middle' | 'large'; destroyInactiveTabPane?: boolean }) {
  const [own, setOwn] = useState(defaultActiveKey ?? items[0]?.key);
  const active = activeKey ?? own;
  const id = useId();
  const pick = (k: string) => {
    setOwn(k);
    onChange?.(k);
  };
  const cur = items.find((i) => i.key === active) ?? items[0];
  return (
    <div className={cx('tj-tabs', size === 'small' && 'tj-tabs-sm', className)} style={style} {...rest}>
      <div
        className="tj-tabs-nav"
        role="tablist"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
          const on = items.filter((i) => !i.disabled);
          const at = on.findIndex((i) => i.key === active);
          const next = on[(at + (e.key === 'ArrowRight' ? 1 : on.length - 1)) % on.length];
          if (next) {
            pick(next.key);
            (e.currentTarget.querySelector(`[data-key="${CSS.escape(next.key)}"]`) as HTMLElement | null)?.focus();
          }
        }}
      >
        {items.map((it) => (
          <button
            type="button"
            role="tab"
            key={it.key}
            data-key={it.key}
            id={`${id}-t-${it.key}`}
            aria-selected={it.key === cur?.key}
            aria-controls={`${id}-p`}
            tabIndex={it.key === cur?.key ? 0 : -1}
            disabled={it.disabled}
            className={cx('tj-tabs-tab', it.key === cur?.key && 'tj-tabs-tab-active')}
            onClick={() => pick(it.key)}
          >
            {it.label}
          </button>
        ))}
      </div>
      {cur && (
        <div role="tabpanel" id={`${id}-p`} aria-labelledby={`${id}-t-${cur.key}`} className="tj-tabs-pane">
          {cur.children}
        </div>
      )}
    </div>
  );
}

/** Collapse: each item a native <details> (keyboard and screen readers for free). */
export function Collapse({ items, defaultActiveKey, className, style, ghost, size, ...rest }: Rest & { items: { key: string; label: ReactNode; children?: ReactNode; extra?: ReactNode }[]; defaultActiveKey?: string | string[]; ghost?: boolean; size?: 'small' | 'middle' | 'large'; bordered?: boolean }) {
  const open = new Set(Array.isArray(defaultActiveKey) ? defaultActiveKey : defaultActiveKey ? [defaultActiveKey] : []);
  return (
    <div className={cx('tj-collapse', ghost && 'tj-collapse-ghost', size === 'small' && 'tj-collapse-sm', className)} style={style} {...rest}>
      {items.map((it) => (
        <details key={it.key} open={open.has(it.key)} className="tj-collapse-item">
          <summary className="tj-collapse-header">
            <span className="tj-collapse-label">{it.label}</span>
            {it.extra}
          </summary>
          <div className="tj-collapse-body">{it.children}</div>
        </details>
      ))}
    </div>
  );
}

export function Steps({ current = 0, items, direction = 'horizontal', size, status, className, style, ...rest }: Rest & { current?: number; items: { title: ReactNode; description?: ReactNode; status?: 'wait' | 'process' | 'finish' | 'error'; icon?: ReactNode }[]; direction?: 'horizontal' | 'vertical'; size?: 'small' | 'default'; status?: 'wait' | 'process' | 'finish' | 'error' }) {
  return (
    <ol className={cx('tj-steps', direction === 'vertical' && 'tj-steps-v', size === 'small' && 'tj-steps-sm', className)} style={style} {...rest}>
      {items.map((it, i) => {
        const st = it.status ?? (i < current ? 'finish' : i === current ? status ?? 'process' : 'wait');
        return (
          <li key={i} className={cx('tj-step', `tj-step-${st}`)} aria-current={i === current ? 'step' : undefined}>
            <span className="tj-step-icon" aria-hidden="true">
              {it.icon ?? (st === 'finish' ? '✓' : st === 'error' ? '✕' : i + 1)}
            </span>
            <div className="tj-step-content">
              <div className="tj-step-title">{it.title}</div>
              {it.description && <div className="tj-step-desc">{it.description}</div>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Divider: a rule, or a rule with a caption. */
export function Divider({ children, style }: { children?: ReactNode; style?: CSSProperties }) {
  return children ? (
    <div className="tj-divider tj-divider-text" role="separator" style={style}>
      <span>{children}</span>
    </div>
  ) : (
    <hr className="tj-divider" style={style} />
  );
}
