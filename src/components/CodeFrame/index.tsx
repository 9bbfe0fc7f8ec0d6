// A fence as shiki highlighted it, in a frame with a copy button (and a title, if the fence
// has title="..."). Literate blocks get their header from LiterateBlock around this frame.

import { useCallback, useEffect, useRef, useState, type ComponentProps } from 'react';
import clsx from 'clsx';
import IconCopy from '@theme/Icon/Copy';
import IconSuccess from '@theme/Icon/Success';
import styles from './styles.module.css';

type PreProps = ComponentProps<'pre'> & {
  'data-code'?: string;
  'data-title'?: string;
  'data-lang'?: string;
};

function CopyButton({ code }: { code: string }) {
  const [copied, setCopied] = useState(false);
  const timeout = useRef<number | undefined>(undefined);
  const copy = useCallback(() => {
    void navigator.clipboard?.writeText(code).then(() => {
      setCopied(true);
      timeout.current = window.setTimeout(() => setCopied(false), 1000);
    });
  }, [code]);
  useEffect(() => () => window.clearTimeout(timeout.current), []);
  return (
    <button
      type="button"
      className={clsx('clean-btn', styles.copy, copied && styles.copied)}
      aria-label={copied ? 'Copied' : 'Copy code to clipboard'}
      title="Copy"
      onClick={copy}>
      {copied ? <IconSuccess className={styles.icon} /> : <IconCopy className={styles.icon} />}
    </button>
  );
}

export default function CodeFrame({ 'data-code': code, 'data-title': title, 'data-lang': lang, className, ...props }: PreProps) {
  const isShiki = className?.split(' ').includes('shiki');
  if (!isShiki) return <pre className={className} {...props} />;
  const illustration = className?.split(' ').includes('obb-illustration');
  return (
    <div className={clsx('obb-frame', styles.frame, illustration && 'obb-frame-illustration')} data-lang={lang}>
      {title && <div className={clsx('obb-frame-title', styles.title)}>{title}</div>}
      <div className={styles.body}>
        <pre className={clsx(className, styles.pre)} {...props} />
        {code !== undefined && <CopyButton code={code} />}
      </div>
    </div>
  );
}
